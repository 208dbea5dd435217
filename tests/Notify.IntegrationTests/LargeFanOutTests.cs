using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// A topic larger than one fan-out page (Notify:Sender:FanOutPageSize 100 here): its message is split into
/// pages that any Sender delivers, and a kill -9 in the middle repeats at most the pages under way.
/// </summary>
public abstract class LargeFanOutTests(Deployment deployment, ITestOutputHelper output) : IAsyncLifetime
{
    protected const int PageSize = 100;

    /// <summary>The default: pages one Sender delivers at once.</summary>
    protected const int PagesInFlight = 3;

    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    protected static readonly Dictionary<string, string?> Settings = new()
    {
        ["Notify:Sender:FanOutPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected WebhookReceiver Receiver { get; private set; } = null!;

    protected ITestOutputHelper Output => output;

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await Receiver.DisposeAsync();

    [Fact]
    public async Task ATopicOfTenPages_ReachesEverySubscriber_AndItsStatusCountsThemAll()
    {
        await using var notify = await NotifyService.StartAsync(Settings, deployment);
        await notify.ExplainFailureAsync(output, async () =>
        {
            using (var metadata = ServiceMetadataStore.Open(notify))
            {
                await BulkSubscribers.CreateAsync(metadata.Store, "crowd", 10 * PageSize, i => Receiver.Url($"crowd/{i}"));
            }

            var messageId = (await notify.Client.PublishAsync("crowd", new { message = "to everyone" })).GetProperty("messageId").GetString()!;

            await Receiver.WaitForCountAsync(10 * PageSize, Patience, "a delivery to each of 1,000 subscribers");
            var tally = Receiver.Tally();
            Assert.Equal(10 * PageSize, tally.Distinct);
            var status = await notify.PollAsync($"v1/topics/crowd/messages/{messageId}", s => s.GetProperty("delivered").GetInt64() >= 10 * PageSize, "the whole fan-out in the message's status", Patience);
            Assert.Equal(tally.Requests, status.GetProperty("subscribers").GetInt64());
            Assert.Contains("is split into 10 page(s)", notify.Logs, StringComparison.Ordinal);
            AssertDuplicatesFromTheQueueOnly(tally);
        });
    }


    /// <summary>
    /// Without a crash, the embedded queue never hands a page out twice; SQS is at least once, so a page may
    /// be received twice there, which repeats it.
    /// </summary>
    private void AssertDuplicatesFromTheQueueOnly((int Requests, int Distinct) tally)
    {
        output.WriteLine($"deliveries: {tally.Requests} to {tally.Distinct} subscribers");
        Assert.InRange(tally.Requests - tally.Distinct, 0, deployment == Deployment.Embedded ? 0 : PageSize);
    }
}

public sealed class EmbeddedLargeFanOutTests(ITestOutputHelper output) : LargeFanOutTests(Deployment.Embedded, output)
{
    /// <summary>
    /// kill -9 of the process (its Sender in it) while the pages of a 20-page fan-out are delivered, then a
    /// restart: every subscriber gets the message, and what is delivered twice is at most the pages that were
    /// under way (three) and the page being queued (one).
    /// </summary>
    [Fact]
    public async Task KilledBetweenPages_AndRestarted_ReachesEverySubscriber_RepeatingAtMostThePagesUnderWay()
    {
        const int subscribers = 20 * PageSize;
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?>(Settings)
        {
            // Each receive, page and deletion in the test's output when it fails.
            ["Logging:LogLevel:Notify"] = "Debug",
        });
        await notify.ExplainFailureAsync(Output, async () =>
        {
            using (var metadata = ServiceMetadataStore.Open(notify))
            {
                await BulkSubscribers.CreateAsync(metadata.Store, "crowd", subscribers, i => Receiver.Url($"crowd/{i}"));
            }

            // Slow enough (64 delivery slots / 0.2 s: about 320 a second at most) that the kill lands with
            // most pages still to deliver.
            Receiver.Delay = TimeSpan.FromMilliseconds(200);
            await notify.Client.PublishAsync("crowd", new { message = "to everyone" });
            await Receiver.WaitForCountAsync(3 * PageSize, Patience, "three pages' worth of deliveries");
            await notify.Process.CrashAsync();
            var atKill = Receiver.Count;
            Assert.True(atKill < subscribers, $"The fan-out was over ({atKill} deliveries) before the kill.");
            Receiver.Delay = TimeSpan.Zero;
            await notify.RestartAsync();

            await Receiver.WaitForEverySubscriberAsync(subscribers, Patience);
            var (requests, distinct) = Receiver.Tally();
            Output.WriteLine($"{subscribers} subscribers; {atKill} deliveries before the kill; after: {requests} deliveries, {requests - distinct} repeated");
            Assert.Equal(subscribers, distinct);
            Assert.InRange(requests - distinct, 0, (PagesInFlight + 1) * PageSize);
        });
    }

    /// <summary>
    /// The embedded store shared by a Frontend and two standalone Senders on one data directory: each Sender
    /// delivers one page at a time, so a page one receives while busy goes back to the queue after
    /// HandBackAfter and both deliver parts of the fan-out (the Aws version: FanOutAcrossSendersTests).
    /// The receiver answers slowly enough that a page takes longer than HandBackAfter to reach: with
    /// instant answers, one Sender's retrievers held every page and served each within HandBackAfter.
    /// </summary>
    [Fact]
    public async Task TwoStandaloneSenders_OnOneDataDirectory_BothDeliverPartsOfOneLargeFanOut()
    {
        const int subscribers = 20 * PageSize;
        var shared = new Dictionary<string, string?>(Settings) { ["Notify:Sender:MaxFanOutPagesInFlight"] = "1" };
        await using var notify = await NotifyService.StartAsync(new Dictionary<string, string?>(shared) { ["Notify:Sender:InProcess"] = "false" });
        var senderSettings = new Dictionary<string, string?>(NotifyService.TestSettings(notify.DataDirectory))
        {
            ["Notify:PublicBaseUrl"] = notify.Process.BaseAddress.AbsoluteUri,
        };
        foreach (var (key, value) in shared)
        {
            senderSettings[key] = value;
        }

        await using var first = await NotifyProcess.StartSenderAsync(senderSettings);
        await using var second = await NotifyProcess.StartSenderAsync(senderSettings);
        await notify.ExplainFailureAsync(Output, async () =>
        {
            using (var metadata = ServiceMetadataStore.Open(notify))
            {
                await BulkSubscribers.CreateAsync(metadata.Store, "crowd", subscribers, i => Receiver.Url($"crowd/{i}"));
            }

            // 300 ms an answer, 64 delivery slots: about 0.6 s a page of 100 on one Sender, 12 s for all 20.
            Receiver.Delay = TimeSpan.FromMilliseconds(300);
            await notify.Client.PublishAsync("crowd", new { message = "to everyone" });
            await Receiver.WaitForEverySubscriberAsync(subscribers, Patience);

            var delivered = new List<double>();
            foreach (var sender in new[] { first, second })
            {
                var metrics = await MetricsScrape.UntilAsync(sender.BaseAddress, _ => true, "the Sender's metrics", Patience);
                delivered.Add(MetricsScrape.Value(metrics, "notify_deliveries_delivered_total", "protocol=\"webhook\""));
            }

            var (requests, distinct) = Receiver.Tally();
            Output.WriteLine($"{subscribers} subscribers: {requests} deliveries; by Sender: {string.Join(", ", delivered)}");
            Assert.Equal(subscribers, distinct);
            Assert.All(delivered, d => Assert.True(d >= PageSize, $"A Sender delivered {d} of the fan-out's {subscribers} deliveries: {string.Join(", ", delivered)}"));
        });
    }
}

/// <summary>The same on DynamoDB (dynalite), SQS (moto) and Redis, with a standalone Sender.</summary>
public sealed class AwsLargeFanOutTests(ITestOutputHelper output) : LargeFanOutTests(Deployment.Aws, output);
