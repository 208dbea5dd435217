using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>The Sender as its own process (<c>dotnet run --project Sender</c>) beside a Frontend.</summary>
public sealed class StandaloneSenderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Links a Sender builds point here; the tests confirm through the Frontend's real address instead.
    private static readonly Uri UnusedLinkBase = new("http://notify.example/");

    private readonly List<NotifyProcess> _processes = [];
    private readonly List<string> _folders = [];
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _receiver.DisposeAsync();
        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean; it is under the temp folder.
            }
        }
    }

    [Fact]
    public async Task FrontendWithoutSender_DeliversNothing_UntilAStandaloneSenderRuns()
    {
        await using var frontend = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
        await frontend.Client.CreateTopicAsync("split");
        var subscription = await frontend.Client.SubscribeAsync("split", "webhook", _receiver.Url("split").AbsoluteUri);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(_receiver.Received);

        var sender = await StartSenderAsync(new Dictionary<string, string?>(NotifyService.TestSettings(frontend.DataDirectory))
        {
            ["Notify:PublicBaseUrl"] = frontend.Process.BaseAddress.AbsoluteUri,
        });

        await ExplainFailureAsync(async () =>
        {
            var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation from the Sender process"))
                .First(x => x.Type == "SubscriptionConfirmation");
            var confirmUrl = confirmation.Json.GetProperty("confirmUrl").GetString()!;
            Assert.StartsWith(frontend.Process.BaseAddress.AbsoluteUri, confirmUrl, StringComparison.Ordinal);
            Assert.Equal(subscription.GetProperty("id").GetString(), confirmation.Json.GetProperty("subscriptionId").GetString());
            await NotifyClient.FollowLinkAsync(confirmUrl);

            var accepted = await frontend.Client.PublishAsync("split", new { message = "via the Sender process" });
            var messageId = accepted.GetProperty("messageId").GetString();

            // The Sender's in-process cache may hold the subscriber list from before the confirmation for
            // up to Notify:Cache:Ttl (10 s); the message waits in the queue and is delivered after that.
            await _receiver.WaitUntilAsync(
                r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");
        }, frontend.Process, sender);
    }

    [Fact]
    public async Task StandaloneSender_WithoutPrivateNetworks_RefusesAtConnectTimeAnEndpointTheFrontendAccepted()
    {
        // The Frontend allows private networks, so the subscribe-time check lets localhost through; the Sender
        // does not, and its own check (on the address it resolves and would connect to) refuses it.
        await using var frontend = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
        await frontend.Client.CreateTopicAsync("guarded");
        await frontend.Client.SubscribeAsync("guarded", "webhook", $"http://localhost:{_receiver.BaseAddress.Port}/guarded");

        var sender = await StartSenderAsync(new Dictionary<string, string?>(NotifyService.TestSettings(frontend.DataDirectory))
        {
            ["Notify:PublicBaseUrl"] = frontend.Process.BaseAddress.AbsoluteUri,
            ["Notify:Webhooks:AllowPrivateNetworks"] = "false",
        });

        await ExplainFailureAsync(async () =>
        {
            var refusal = await sender.WaitForOutputAsync("Refused to deliver SubscriptionConfirmation", Patience);
            Assert.Contains("loopback address", refusal);
            Assert.Contains("which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it", refusal);
            Assert.Empty(_receiver.Received);
        }, frontend.Process, sender);
    }

    [Fact]
    public async Task StandaloneSender_WithoutPublicBaseUrl_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NotifyProcess.StartSenderAsync(
            new Dictionary<string, string?>(NotifyService.TestSettings(NewFolder())) { ["Notify:PublicBaseUrl"] = null }));
        Assert.Contains("Notify:PublicBaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandaloneSender_OnADirectoryWithoutAStore_SaysSoAndIsNotReady_ThenDeliversOnceAFrontendCreatedTheStore()
    {
        var directory = NewFolder();
        var sender = await StartSenderAsync(new Dictionary<string, string?>(NotifyService.TestSettings(directory))
        {
            ["Notify:PublicBaseUrl"] = UnusedLinkBase.AbsoluteUri,
        });
        using var senderHttp = new HttpClient { BaseAddress = sender.BaseAddress };

        var warning = await sender.WaitForOutputAsync("No Notify store in", Patience);
        Assert.Contains(directory, warning, StringComparison.Ordinal);
        Assert.Contains("Notify:DataDirectory", warning, StringComparison.Ordinal);
        Assert.Contains("start the Frontend first", warning, StringComparison.Ordinal);
        var lines = sender.Output.Split('\n');
        Assert.StartsWith("warn: ", lines[Array.IndexOf(lines, warning) - 1], StringComparison.Ordinal);
        var (status, body) = await GetAsync(senderHttp, "readyz");
        Assert.Equal(503, status);
        Assert.Contains("no Notify store", body, StringComparison.Ordinal);
        Assert.Contains("Notify:DataDirectory", body, StringComparison.Ordinal);
        Assert.Equal(200, (await GetAsync(senderHttp, "healthz")).Status);
        Assert.False(File.Exists(Path.Combine(directory, "queue.db")), "the Sender created queue.db");
        Assert.False(File.Exists(Path.Combine(directory, "metadata.db")), "the Sender created metadata.db");

        var frontend = await StartFrontendAsync(new Dictionary<string, string?>(NotifyService.TestSettings(directory))
        {
            ["Notify:Sender:InProcess"] = "false",
        });
        using var client = new NotifyClient(frontend.BaseAddress, NotifyService.AdminKey);

        await ExplainFailureAsync(async () =>
        {
            await sender.WaitForOutputAsync("Found the Notify store in", Patience);
            Assert.Equal((200, "Healthy\n"), await GetAsync(senderHttp, "readyz"));

            await client.CreateTopicAsync("late");
            var id = (await client.SubscribeAsync("late", "webhook", _receiver.Url("late").AbsoluteUri)).GetProperty("id").GetString()!;
            var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation from the Sender"))
                .First(x => x.Type == "SubscriptionConfirmation");
            Assert.Equal(id, confirmation.Json.GetProperty("subscriptionId").GetString());
            var link = new Uri(confirmation.Json.GetProperty("confirmUrl").GetString()!);
            Assert.Equal(UnusedLinkBase.Authority, link.Authority);
            await NotifyClient.FollowLinkAsync(new Uri(frontend.BaseAddress, link.PathAndQuery.TrimStart('/')).AbsoluteUri);

            var messageId = (await client.PublishAsync("late", new { message = "after the store appeared" })).GetProperty("messageId").GetString();
            await _receiver.WaitUntilAsync(
                r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");
        }, sender, frontend);
    }

    [Fact]
    public async Task FrontendAndSender_StartedInOneCheckoutWithoutADataDirectory_ShareOneStoreAndDeliver()
    {
        // A checkout as `dotnet run --project X` sees it: each process runs in its own project folder.
        var checkout = NewFolder();
        await File.WriteAllTextAsync(Path.Combine(checkout, "Notify.sln"), "");
        var frontendFolder = Directory.CreateDirectory(Path.Combine(checkout, "Frontend")).FullName;
        var senderFolder = Directory.CreateDirectory(Path.Combine(checkout, "Sender")).FullName;
        var settings = NotifyService.TestSettings(Path.Combine(checkout, "scratch"));
        settings["Notify:DataDirectory"] = null;

        var frontend = await StartFrontendAsync(new Dictionary<string, string?>(settings) { ["Notify:Sender:InProcess"] = "false" }, frontendFolder);
        var sender = await StartSenderAsync(new Dictionary<string, string?>(settings) { ["Notify:PublicBaseUrl"] = frontend.BaseAddress.AbsoluteUri }, senderFolder);
        using var client = new NotifyClient(frontend.BaseAddress, NotifyService.AdminKey);

        await ExplainFailureAsync(async () =>
        {
            using var senderHttp = new HttpClient { BaseAddress = sender.BaseAddress };
            Assert.Equal((200, "Healthy\n"), await GetAsync(senderHttp, "readyz"));
            Assert.Equal(200, (await GetAsync(client.Http, "readyz")).Status);

            await client.SubscribeConfirmedAsync(_receiver, "shared", "shared");
            var messageId = (await client.PublishAsync("shared", new { message = "one store" })).GetProperty("messageId").GetString();
            await _receiver.WaitUntilAsync(
                r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");

            Assert.True(File.Exists(Path.Combine(checkout, "data", "queue.db")), "no store in the checkout's data/");
            Assert.False(Directory.Exists(Path.Combine(frontendFolder, "data")), "the Frontend used a data/ of its own");
            Assert.False(Directory.Exists(Path.Combine(senderFolder, "data")), "the Sender used a data/ of its own");
            Assert.DoesNotContain("No Notify store", sender.Output, StringComparison.Ordinal);
        }, frontend, sender);
    }

    private async Task<NotifyProcess> StartFrontendAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null)
    {
        var process = await NotifyProcess.StartFrontendAsync(settings, workingDirectory);
        _processes.Add(process);
        return process;
    }

    private async Task<NotifyProcess> StartSenderAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null)
    {
        var process = await NotifyProcess.StartSenderAsync(settings, workingDirectory);
        _processes.Add(process);
        return process;
    }

    private string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _folders.Add(folder);
        return folder;
    }

    private static async Task<(int Status, string Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task ExplainFailureAsync(Func<Task> check, params NotifyProcess[] processes)
    {
        try
        {
            await check();
        }
        catch
        {
            foreach (var process in processes)
            {
                output.WriteLine($"----- pid {process.Id} -----\n{process.Output}");
            }

            throw;
        }
    }
}
