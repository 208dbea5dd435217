using System.Text.Json;
using System.Text.RegularExpressions;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>What a reader of the README does in its terminals, and what they check on the way.</summary>
internal static partial class Reader
{
    /// <summary>Generous: on a busy machine each <c>dotnet run</c> first checks that its build is up to date.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Starts a Notify service's command; returns its terminal and the admin key it printed.</summary>
    public static async Task<(Terminal Terminal, string Key)> StartServiceAsync(ReadmeRun run, string name, string command)
    {
        var terminal = run.Start(name, command);
        var key = await terminal.WaitForAsync(GeneratedKey(), StartTimeout, "the generated admin key (nfy_...)");
        await WaitUntilStartedAsync(terminal);
        return (terminal, key.Value);
    }

    public static Task WaitUntilStartedAsync(Terminal terminal) =>
        terminal.WaitForAsync(ApplicationStarted(), StartTimeout, "\"Application started\"");

    public static async Task<Terminal> StartEchoWebhookAsync(ReadmeRun run, ReadmeBlock block)
    {
        var echo = run.Start("terminal 2", Assert.Single(block.Commands).Text);
        await echo.WaitForAsync(EchoListening(), StartTimeout, "that it listens");
        return echo;
    }

    /// <summary>Terminal 3 of the walk-through, step by step, checking each answer and what terminal 2 printed.</summary>
    public static async Task PublishAsInTerminal3Async(ReadmeRun run, ReadmeBlock block, string key, Terminal echo)
    {
        var shell = await run.ShellAsync();
        var steps = Terminal3Steps.Of(block);
        Assert.Equal(Enumerable.Range(1, 5), steps.Numbers);
        foreach (var setup in steps.Setup)
        {
            await RunAsync(shell, Fill(setup, key));
        }

        // 1. create a topic
        Assert.Equal("orders", Json(await RunAsync(shell, steps[1].Single())).GetProperty("name").GetString());

        // 2. subscribe the webhook: pending, and terminal 2 prints the confirmation request
        var subscription = Json(await RunAsync(shell, steps[2].Single()));
        Assert.Equal("pending", subscription.GetProperty("status").GetString());
        var id = subscription.GetProperty("id").GetString()!;
        var request = Json(await echo.WaitForAsync(
            line => Printed(line, "SubscriptionConfirmation", "subscriptionId", id), Patience, $"the SubscriptionConfirmation of {id}"));

        // 3. confirm with the id and token terminal 2 printed
        var confirm = steps[3].Single()
            .Replace("<id>", id, StringComparison.Ordinal)
            .Replace("<token>", request.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal("confirmed", Json(await RunAsync(shell, confirm)).GetProperty("status").GetString());

        // 4. publish: 202, and terminal 2 prints the notification
        var accepted = Json(await RunAsync(shell, steps[4].Single()));
        Assert.False(accepted.GetProperty("duplicate").GetBoolean());
        var messageId = accepted.GetProperty("messageId").GetString()!;
        var notification = Json(await echo.WaitForAsync(
            line => Printed(line, "Notification", "messageId", messageId), Patience, $"the Notification {messageId}"));
        Assert.Equal("order 42 shipped", notification.GetProperty("message").GetString());

        // 5. the same publish twice with an Idempotency-Key: the second is the first's duplicate
        Assert.Equal(2, steps[5].Count);
        var first = Json(await RunAsync(shell, steps[5][0]));
        var repeat = Json(await RunAsync(shell, steps[5][1]));
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(repeat.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("messageId").GetString(), repeat.GetProperty("messageId").GetString());
    }

    public static string Fill(string command, string key) => command.Replace("nfy_...", key, StringComparison.Ordinal);

    /// <summary>Types <paramref name="command"/> in terminal 3; it must succeed. Returns what it printed.</summary>
    public static async Task<string> RunAsync(Shell shell, string command)
    {
        var (exitCode, printed) = await shell.RunAsync(command, Patience);
        Assert.True(exitCode == 0, $"`{command}` exited with {exitCode}:\n{printed}");
        return printed;
    }

    public static JsonElement Json(string printed) => JsonDocument.Parse(printed).RootElement;

    /// <summary><paramref name="line"/> when it is a JSON body the echo webhook printed, of <paramref name="type"/>, with <paramref name="property"/> = <paramref name="value"/>.</summary>
    public static string? Printed(string line, string type, string property, string value)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            var json = Json(line);
            return json.TryGetProperty("type", out var t) && t.GetString() == type
                && json.TryGetProperty(property, out var p) && p.GetString() == value ? line : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Waits until <paramref name="readyz"/> answers 200, until <paramref name="deadline"/> (UTC).</summary>
    public static async Task WaitUntilReadyAsync(HttpClient http, Uri readyz, DateTime deadline)
    {
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(readyz);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{readyz} did not answer 200 by {deadline:HH:mm:ss} UTC.");
            }

            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"nfy_[A-Za-z0-9_-]{20,}")]
    private static partial Regex GeneratedKey();

    [GeneratedRegex(@"Application started\.")]
    private static partial Regex ApplicationStarted();

    [GeneratedRegex(@"Echo webhook listening on http://localhost:5099")]
    private static partial Regex EchoListening();
}
