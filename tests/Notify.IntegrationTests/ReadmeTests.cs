using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;
using Notify.IntegrationTests.Support.Readme;
using static Notify.IntegrationTests.Support.Readme.Reader;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCollection : ICollectionFixture<ReadmeFixture>
{
    // The README's commands use fixed ports (5080, 5090, 5099) and one Debug build: one at a time.
    public const string Name = "README";
}

/// <summary>
/// The README's commands, run as written with bash: the walk-through's three terminals, the Sender on
/// its own, and the pickup directory. Placeholders (<c>nfy_...</c>, <c>&lt;id&gt;</c>, <c>&lt;token&gt;</c>)
/// are filled from what earlier commands printed, as a reader fills them.
/// </summary>
[Collection(ReadmeCollection.Name)]
public sealed partial class ReadmeTests(ReadmeFixture fixture, ITestOutputHelper output)
{
    private const string TwoCommands = "The two commands";
    private const string WalkThrough = "Walk-through: from a topic to a delivered webhook";
    private const string StandaloneSender = "Running the Sender on its own";
    private const string EmailAndSms = "Email and SMS";
    private const string AwsMode = "Running in Aws mode";

    private static readonly TimeSpan Patience = Reader.Patience;

    // The two Frontends and the two Senders of the Aws walk-through.
    private static readonly int[] AwsServicePorts = [5080, 5081, 5090, 5091];

    private ReadmeDocument Readme => fixture.Readme;

    [Fact]
    public void EveryBashBlockOfTheReadme_IsRunByThisClass()
    {
        // A block added to the README fails here until a test runs it.
        var blocks = Readme.Blocks.GroupBy(b => b.Section).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(
            new Dictionary<string, int> { [TwoCommands] = 1, [WalkThrough] = 3, [EmailAndSms] = 3, [StandaloneSender] = 1, [AwsMode] = 1 },
            blocks);

        // The first of the two commands is terminal 1's (run by the walk-through); the second runs this class.
        var two = Assert.Single(Readme.In(TwoCommands)).Commands;
        Assert.Equal(2, two.Count);
        Assert.Equal(WithoutComment(Assert.Single(Readme.In(WalkThrough)[0].Commands).Text), WithoutComment(two[0].Text));
        Assert.Equal("./test.sh", WithoutComment(two[1].Text));

        // The provider example sets variables for a real SES account and Twilio number, which tests never
        // call: ProviderExample_SetsTheVariablesItShows runs it; the other two blocks are the pickup test's.
        Assert.All(Readme.In(EmailAndSms)[0].Commands, c => Assert.StartsWith("export Notify__", c.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProviderExample_SetsTheVariablesItShows()
    {
        var block = Readme.In(EmailAndSms)[0];
        await using var run = new ReadmeRun();
        await run.ExplainFailureAsync(output, async () =>
        {
            var shell = await run.ShellAsync();
            foreach (var command in block.Commands)
            {
                await RunAsync(shell, command.Text);
            }

            var set = await RunAsync(shell, "env | grep '^Notify__' | sort");
            Assert.Contains("Notify__Email__From=Example alerts <alerts@example.com>", set.Split('\n'));
            Assert.Equal(block.Commands.Count, set.Split('\n').Length);
        });
    }

    [Fact]
    public async Task WalkThrough_DeliversTheConfirmationAndTheNotificationToTheEchoWebhook()
    {
        output.WriteLine($"Builds before the first command: {fixture.BuildTime.TotalSeconds:F0} s");
        var walk = Readme.In(WalkThrough);
        Assert.Equal(3, walk.Count);
        await using var run = new ReadmeRun();
        await run.ExplainFailureAsync(output, async () =>
        {
            var (_, key) = await StartServiceAsync(run, "terminal 1", Assert.Single(walk[0].Commands).Text);
            var echo = await StartEchoWebhookAsync(run, walk[1]);

            await PublishAsInTerminal3Async(run, walk[2], key, echo);
        });
    }

    [Fact]
    public async Task RunningTheSenderOnItsOwn_DeliversFromTheSenderProcess_WithoutADataDirectorySetting()
    {
        var block = Assert.Single(Readme.In(StandaloneSender));
        Assert.Equal(2, block.Commands.Count);
        var walk = Readme.In(WalkThrough);
        await using var run = new ReadmeRun();
        await run.ExplainFailureAsync(output, async () =>
        {
            var (frontend, key) = await StartServiceAsync(run, "terminal 1 (Frontend)", block.Commands[0].Text);
            var sender = run.Start("terminal 1b (Sender)", block.Commands[1].Text);
            await WaitUntilStartedAsync(sender);
            using (var http = new HttpClient())
            {
                using var ready = await http.GetAsync(new Uri("http://localhost:5090/readyz"));
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            var echo = await StartEchoWebhookAsync(run, walk[1]);
            await PublishAsInTerminal3Async(run, walk[2], key, echo);

            Assert.DoesNotContain("No Notify store", sender.Output, StringComparison.Ordinal);
            Assert.Contains("Sender started", sender.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Sender started", frontend.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(run.Checkout, "data", "queue.db")), "no store in the checkout's data/");
        });
    }

    [Fact]
    public async Task PickupDirectoryCommand_WritesTheConfirmationAsAnEmlWithALinkThatWorksWhenCopied()
    {
        var email = Readme.In(EmailAndSms);
        var command = Assert.Single(email, b => b.Commands.Any(c => c.Text.Contains("PickupDirectory", StringComparison.Ordinal))).Commands;
        var subscribe = Assert.Single(email, b => b.Commands.Any(c => c.Text.Contains("\"protocol\":\"email\"", StringComparison.Ordinal))).Commands;
        var publisher = Readme.In(WalkThrough)[2];
        await using var run = new ReadmeRun();
        await run.ExplainFailureAsync(output, async () =>
        {
            var (_, key) = await StartServiceAsync(run, "terminal 1", Assert.Single(command).Text);
            var shell = await run.ShellAsync();
            var steps = Terminal3Steps.Of(publisher);
            foreach (var setup in steps.Setup)
            {
                await RunAsync(shell, Fill(setup, key));
            }

            Assert.Equal("orders", Json(await RunAsync(shell, steps[1].Single())).GetProperty("name").GetString());
            var subscription = Json(await RunAsync(shell, Assert.Single(subscribe).Text));
            Assert.Equal(("email", "pending"), (subscription.GetProperty("protocol").GetString(), subscription.GetProperty("status").GetString()));
            var id = subscription.GetProperty("id").GetString()!;

            var eml = await PickupFiles.WaitForFirstAsync(Path.Combine(run.Checkout, "mail"), Patience);
            Assert.Matches(@"^\d{8}T\d{6}\.\d{3}Z-\d{6}-confirmation-" + id + @"\.eml$", Path.GetFileName(eml));
            var link = Assert.Single(await File.ReadAllLinesAsync(eml), l => l.Contains("/confirm?token=", StringComparison.Ordinal));
            Assert.StartsWith($"http://localhost:5080/v1/subscriptions/{id}/confirm?token=", link, StringComparison.Ordinal);

            // Copied from the file into the terminal as it stands.
            var confirmed = Json(await RunAsync(shell, $"curl -s \"{link}\""));
            Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        });
    }

    [Fact]
    public async Task AwsModeAgainstLocalServers_TwoFrontendsAndTwoSendersServeTheWalkThrough()
    {
        var commands = Assert.Single(Readme.In(AwsMode)).Commands;
        // test.sh runs this very npm ci before any test; run again here, it would delete the servers
        // under the feet of tests running at the same time.
        Assert.Equal("(cd tests/servers && npm ci)", commands[0].Text);
        var script = string.Join('\n', commands.Skip(1).Select(c => c.Text));
        var key = AdminKeySetting().Match(script).Groups[1].Value;
        var walk = Readme.In(WalkThrough);
        await using var run = new ReadmeRun();
        await run.ExplainFailureAsync(output, async () =>
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            run.Start("terminal 1 (Aws)", script, LocalServersPath());
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

            // Four `dotnet run` check their builds at once: on a busy machine that takes minutes.
            var deadline = DateTime.UtcNow + 2 * StartTimeout;
            foreach (var port in AwsServicePorts)
            {
                await WaitUntilReadyAsync(http, new Uri($"http://127.0.0.1:{port}/readyz"), deadline);
            }

            output.WriteLine($"The four services answered /readyz after {watch.Elapsed.TotalSeconds:F0} s");

            var echo = await StartEchoWebhookAsync(run, walk[1]);
            await PublishAsInTerminal3Async(run, walk[2], key, echo);

            // The second Frontend serves what the first one created: both read the same DynamoDB table.
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:5081/v1/topics/orders");
            request.Headers.Authorization = new("Bearer", key);
            using var topic = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, topic.StatusCode);
        });
    }

    /// <summary>
    /// Where test.sh installed moto into tests/servers/.venv (the system's Python lacks it), a reader
    /// would have that environment activated: its python3 comes first.
    /// </summary>
    private static Dictionary<string, string?> LocalServersPath()
    {
        var venv = Path.Combine(RepositoryPaths.Root, "tests", "servers", ".venv", "bin");
        return Directory.Exists(venv)
            ? new Dictionary<string, string?> { ["PATH"] = venv + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") }
            : [];
    }

    private static string WithoutComment(string command) => command.Split('#')[0].Trim();

    [GeneratedRegex(@"Notify__Auth__AdminKey=(\S+)")]
    private static partial Regex AdminKeySetting();
}
