using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// A paced subscription's deliveries kept to its rate, and the three views of a delivery's outcome (topic
/// stats, message status, /metrics) agreeing, end to end on real processes in both modes.
/// </summary>
public abstract class DeliveryPacingAndStatsTests(Deployment deployment, ITestOutputHelper output) : DeliveryScenario(deployment, output)
{
    [Fact]
    public Task PacedSubscription_GetsAllOfABurst_OverAsLongAsItsRateTakes() => ExplainedAsync(async () =>
    {
        var times = await BurstOfEightAtTwoPerSecondAsync();

        // Eight deliveries at 2 per second span at least 3.5 s, less the first one's lateness.
        var least = TimeSpan.FromSeconds(3.5) - PaceAssert.ArrivalLateness;
        Assert.True(times[^1] - times[0] >= least, $"eight deliveries came within {(times[^1] - times[0]).TotalSeconds:F3} s; at 2 per second at least {least.TotalSeconds:F3} s");
    });

    /// <remarks>
    /// The pacer reserves turns 1/rate apart, and work that comes back from the queue late (SQS counts delays in
    /// whole seconds) waits just before its request for the subscription's next send turn. Without that, deliveries
    /// came together (seen: 1.571 and 1.585 s; 2.712 and 2.713 s); with the send turn taken before the request was
    /// composed, the first request of a fresh process went out late behind its own start-up work and arrived with
    /// the second (seen: 0, 0, 0.418, 0.917 s).
    /// </remarks>
    [Fact]
    public Task PacedSubscription_NeverGetsMoreThanItsRate() => ExplainedAsync(async () =>
    {
        var times = await BurstOfEightAtTwoPerSecondAsync();

        PaceAssert.NoFasterThan(times, perSecond: 2);
    });

    [Fact]
    public Task TopicStats_MessageStatus_AndMetrics_Agree() => ExplainedAsync(async () =>
    {
        await SubscribeConfirmedAsync("mixed", "mixed/steady");
        await SubscribeConfirmedAsync("mixed", "mixed/flaky");
        var flakyCalls = 0;
        Receiver.Respond = r => r.Type == "Notification" && r.Path == "/mixed/flaky" && Interlocked.Increment(ref flakyCalls) == 1 ? 503 : 200;

        var messageId = await PublishAsync("mixed", "to both");

        await WaitForAsync("mixed/steady", 1, "the steady subscriber's delivery");
        await WaitForAsync("mixed/flaky", 2, "the flaky subscriber's retry");

        var status = await PollAsync($"v1/topics/mixed/messages/{messageId}", s => Count(s, "delivered") >= 2, "both deliveries in the message's status");
        Assert.Equal((2, 2, 0, 0), (Count(status, "subscribers"), Count(status, "delivered"), Count(status, "retrying"), Count(status, "deadLettered")));

        var topic = await PollAsync("v1/topics/mixed/stats", s => Count(s, "delivered") >= 2 && Count(s, "published") >= 1, "both deliveries in the topic's stats");
        Assert.Equal((1, 2, 0, 0, 0), (Count(topic, "published"), Count(topic, "delivered"), Count(topic, "retrying"), Count(topic, "deadLettered"), Count(topic, "disabledSubscriptions")));
        var hour = topic.GetProperty("lastHour");
        Assert.Equal((1, 2, 1, 0), (Count(hour, "published"), Count(hour, "delivered"), Count(hour, "retrying"), Count(hour, "deadLettered")));

        // Deliveries are counted where they are made; publishes where they are accepted (the Frontend, in both modes).
        var deliveries = await MetricsScrape.UntilAsync(
            DeliveringProcess, m => MetricsScrape.Value(m, "notify_deliveries_delivered_total", "protocol=\"webhook\"") >= 2, "both deliveries", Patience);
        Assert.Equal(2, MetricsScrape.Value(deliveries, "notify_deliveries_delivered_total", "protocol=\"webhook\""));
        Assert.Equal(1, MetricsScrape.Value(deliveries, "notify_deliveries_retried_total", "protocol=\"webhook\""));
        Assert.Equal(1, MetricsScrape.Value(deliveries, "notify_deliveries_failed_total", "protocol=\"webhook\""));
        Assert.Equal(0, MetricsScrape.Value(deliveries, "notify_deliveries_dead_lettered_total", "protocol=\"webhook\""));
        var publishes = await MetricsScrape.UntilAsync(
            Notify.Process.BaseAddress, m => MetricsScrape.Value(m, "notify_messages_published_total") >= 1, "the publish", Patience);
        Assert.Equal(1, MetricsScrape.Value(publishes, "notify_messages_published_total"));
    });

    /// <summary>Publishes 8 messages at once to a subscription paced at 2 per second; checks all 8 arrive, once each; returns their arrival times in order.</summary>
    private async Task<List<DateTimeOffset>> BurstOfEightAtTwoPerSecondAsync()
    {
        await SubscribeConfirmedAsync("paced", "paced/hook", new { maxPerSecond = 2 });

        var published = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PublishAsync("paced", $"burst {i}")));

        var received = await WaitForAsync("paced/hook", 8, "all eight messages");
        Assert.Equal(published.Order(StringComparer.Ordinal), received.Select(MessageId).Order(StringComparer.Ordinal));
        var times = received.Select(r => r.ArrivedAt).Order().ToList();
        Output.WriteLine($"arrivals after the first: {PaceAssert.Describe(times)}");
        return times;
    }
}

public sealed class EmbeddedDeliveryPacingAndStatsTests(ITestOutputHelper output) : DeliveryPacingAndStatsTests(Deployment.Embedded, output);

/// <summary>The same with the Frontend and a standalone Sender on DynamoDB (dynalite), SQS (moto) and Redis.</summary>
public sealed class AwsDeliveryPacingAndStatsTests(ITestOutputHelper output) : DeliveryPacingAndStatsTests(Deployment.Aws, output);
