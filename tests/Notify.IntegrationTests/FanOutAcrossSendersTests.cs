using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// The pages of one large fan-out shared by the Senders of an Aws deployment (two standalone Senders on
/// DynamoDB, SQS and Redis): both deliver parts of it, and when one is killed in the middle, the other
/// finishes it, repeating at most the pages the killed one had under way.
/// </summary>
public sealed class FanOutAcrossSendersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int PageSize = 500;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(240);

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <remarks>
    /// 20,000 subscribers in 40 pages, each Sender delivering one page at a time: a page a Sender receives while
    /// busy waits HandBackAfter (2 s) and goes back to the queue, so both Senders get pages. (Before the DynamoDB
    /// stats flush was bounded, this size stalled: a flush started tens of thousands of writes to dynalite at
    /// once and the Senders' other calls timed out.)
    /// </remarks>
    [Fact]
    public async Task TwoSenders_BothDeliverPartsOfOneLargeFanOut()
    {
        const int subscribers = 40 * PageSize;
        await using var cluster = await NotifyCluster.StartAsync(frontends: 1, senders: 2, new Dictionary<string, string?>
        {
            ["Notify:Sender:MaxFanOutPagesInFlight"] = "1",
        });
        try
        {
            using (var metadata = ServiceMetadataStore.Open(cluster.Settings, Deployment.Aws))
            {
                await BulkSubscribers.CreateAsync(metadata.Store, "everyone", subscribers, i => _receiver.Url($"everyone/{i}"), parallel: 32);
            }

            var started = DateTime.UtcNow;
            await cluster.Clients[0].PublishAsync("everyone", new { message = "to everyone" });
            await _receiver.WaitForEverySubscriberAsync(subscribers, Patience);
            var took = DateTime.UtcNow - started;

            var delivered = new List<double>();
            foreach (var sender in cluster.Senders)
            {
                var metrics = await MetricsScrape.UntilAsync(sender.BaseAddress, _ => true, "the Sender's metrics", Patience);
                delivered.Add(MetricsScrape.Value(metrics, "notify_deliveries_delivered_total", "protocol=\"webhook\""));
            }

            var (requests, distinct) = _receiver.Tally();
            output.WriteLine($"{subscribers} subscribers: {requests} deliveries in {took.TotalSeconds:F1} s; by Sender: {string.Join(", ", delivered)}");
            Assert.Equal(subscribers, distinct);
            Assert.All(delivered, d => Assert.True(d >= PageSize, $"A Sender delivered {d} of the fan-out's {subscribers} deliveries: {string.Join(", ", delivered)}"));
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }

    /// <summary>
    /// One of two Senders killed while the pages of a 10-page fan-out are delivered: the other delivers the
    /// rest; what is repeated is at most the pages the killed one had under way (three) and the page it was
    /// queueing (one), and one more page that SQS (at least once) may hand out twice.
    /// </summary>
    [Fact]
    public async Task OneSenderKilledBetweenPages_TheOtherFinishes_RepeatingAtMostThePagesUnderWay()
    {
        const int pageSize = 100;
        const int subscribers = 10 * pageSize;
        await using var cluster = await NotifyCluster.StartAsync(frontends: 1, senders: 2, new Dictionary<string, string?>
        {
            ["Notify:Sender:FanOutPageSize"] = pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            using (var metadata = ServiceMetadataStore.Open(cluster.Settings, Deployment.Aws))
            {
                await BulkSubscribers.CreateAsync(metadata.Store, "crowd", subscribers, i => _receiver.Url($"crowd/{i}"));
            }

            // Slow enough (two Senders' 64 delivery slots / 0.2 s) that the kill lands with most pages to deliver.
            _receiver.Delay = TimeSpan.FromMilliseconds(200);
            await cluster.Clients[0].PublishAsync("crowd", new { message = "to everyone" });
            await _receiver.WaitForCountAsync(2 * pageSize, Patience, "two pages' worth of deliveries");
            await cluster.Senders[0].CrashAsync();
            var atKill = _receiver.Count;
            Assert.True(atKill < subscribers, $"The fan-out was over ({atKill} deliveries) before the kill.");
            _receiver.Delay = TimeSpan.Zero;

            await _receiver.WaitForEverySubscriberAsync(subscribers, Patience);
            var (requests, distinct) = _receiver.Tally();
            output.WriteLine($"{subscribers} subscribers; {atKill} deliveries before the kill; after: {requests} deliveries, {requests - distinct} repeated");
            Assert.Equal(subscribers, distinct);
            Assert.InRange(requests - distinct, 0, (3 + 1 + 1) * pageSize);
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }
}
