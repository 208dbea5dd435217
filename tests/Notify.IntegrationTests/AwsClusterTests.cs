using System.Collections.Concurrent;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// Aws mode as deployed: two Frontends and two Senders as separate processes on DynamoDB, SQS and three
/// Redis nodes. Any Frontend serves any call, any Sender delivers, and losing a Redis node or a Sender
/// loses no message.
/// </summary>
public sealed class AwsClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private NotifyCluster _cluster = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _cluster = await NotifyCluster.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private NotifyClient First => _cluster.Clients[0];

    private NotifyClient Second => _cluster.Clients[1];

    [Fact]
    public async Task EitherFrontend_ServesTheSameTopics_AndEveryMessageIsDelivered()
    {
        // Created through one Frontend, subscribed and confirmed through the other.
        await First.CreateTopicAsync("orders");
        var topic = await NotifyClient.ExpectJsonAsync(await Second.Http.GetAsync("v1/topics/orders"), 200);
        Assert.Equal("orders", topic.GetProperty("name").GetString());
        var subscriptionId = await SubscribeConfirmedAsync(Second, "orders");
        var subscription = await NotifyClient.ExpectJsonAsync(await First.Http.GetAsync($"v1/subscriptions/{subscriptionId}"), 200);
        Assert.Equal("confirmed", subscription.GetProperty("status").GetString());

        var accepted = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var client = i % 2 == 0 ? First : Second;
            accepted.Add((await client.PublishAsync("orders", new { message = $"order {i}" })).GetProperty("messageId").GetString()!);
        }

        var received = await _receiver.WaitUntilAsync(r => DeliveredIds(r).IsSupersetOf(accepted), Patience, "all 40 messages");
        Assert.All(received.Where(r => r.Type == "Notification"), n => Assert.Equal(subscriptionId, n.Json.GetProperty("subscriptionId").GetString()));
    }

    [Fact]
    public async Task Dedup_HoldsAcrossFrontends()
    {
        await SubscribeConfirmedAsync(First, "dedup");

        var first = await First.PublishAsync("dedup", new { message = "once", dedupId = "order-7" });
        var again = await Second.PublishAsync("dedup", new { message = "once" }, idempotencyKey: "order-7");
        var marker = await Second.PublishAsync("dedup", new { message = "after" });

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("messageId").GetString(), again.GetProperty("messageId").GetString());
        var markerId = marker.GetProperty("messageId").GetString()!;
        await _receiver.WaitUntilAsync(r => DeliveredIds(r).Contains(markerId), Patience, "the marker message");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_receiver.Notifications, n => n.Json.GetProperty("message").GetString() == "once");
    }

    [Fact]
    public async Task OneOfThreeRedisNodesKilled_EveryCallStillAnswers_AndDeliveryContinues()
    {
        await SubscribeConfirmedAsync(First, "before");
        var before = (await First.PublishAsync("before", new { message = "before the kill" })).GetProperty("messageId").GetString()!;
        await _receiver.WaitUntilAsync(r => DeliveredIds(r).Contains(before), Patience, "the message before the kill");

        _cluster.Servers.Redis.Nodes[1].Kill();

        // Reads, writes, confirmations, dedup and deliveries go on; the dead node's keys are misses.
        var accepted = new List<string>();
        for (var t = 0; t < 6; t++)
        {
            var name = $"after-{t}";
            await SubscribeConfirmedAsync(t % 2 == 0 ? First : Second, name);
            for (var i = 0; i < 5; i++)
            {
                var client = i % 2 == 0 ? First : Second;
                var result = await client.PublishAsync(name, new { message = $"{name} {i}", dedupId = $"{name}-{i}" });
                accepted.Add(result.GetProperty("messageId").GetString()!);
                var repeat = await (client == First ? Second : First).PublishAsync(name, new { message = $"{name} {i}", dedupId = $"{name}-{i}" });
                Assert.True(repeat.GetProperty("duplicate").GetBoolean(), $"{name}-{i} was not recognised as a duplicate after the kill.");
            }
        }

        await _receiver.WaitUntilAsync(r => DeliveredIds(r).IsSupersetOf(accepted), Patience, $"all {accepted.Count} messages after the kill");
        Assert.All(_cluster.Frontends.Concat(_cluster.Senders), p => Assert.False(p.HasExited, _cluster.Output));
    }

    [Fact]
    public async Task SenderKilled_WhileDelivering_TheOtherSenderDeliversEveryAcceptedMessage()
    {
        await SubscribeConfirmedAsync(First, "crash");
        _receiver.Delay = TimeSpan.FromMilliseconds(100);

        // Publishers keep going while one Sender is killed, so some of its messages are in flight.
        var accepted = new ConcurrentBag<string>();
        var publishers = Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            var client = worker % 2 == 0 ? First : Second;
            for (var i = 0; i < 50; i++)
            {
                var result = await client.PublishAsync("crash", new { message = $"w{worker}-{i}" });
                accepted.Add(result.GetProperty("messageId").GetString()!);
            }
        }));

        await _receiver.WaitUntilAsync(r => r.Count(x => x.Type == "Notification") >= 40, Patience, "40 deliveries");
        await _cluster.Senders[0].CrashAsync();
        var answeredAtKill = _receiver.Answered.Count(a => a.Request.Type == "Notification");
        await publishers;

        var ids = accepted.ToHashSet();
        var received = await _receiver.WaitUntilAsync(r => DeliveredIds(r).IsSupersetOf(ids), Patience, $"all {ids.Count} accepted messages");
        var notifications = received.Count(x => x.Type == "Notification");
        output.WriteLine($"accepted: {ids.Count}; answered before the kill: {answeredAtKill}; delivered: {DeliveredIds(received).Count} distinct in {notifications} requests; redelivered: {notifications - DeliveredIds(received).Count}");
        Assert.True(answeredAtKill < ids.Count, $"Every message was answered before the kill ({answeredAtKill}); nothing was left for the other Sender.");
    }

    [Fact]
    public async Task SqsOrDynamoDbDown_CallsAnswer503WithRetryAfter_NeverA500()
    {
        await First.CreateTopicAsync("outage");

        _cluster.Servers.Sqs.Kill();
        using (var publish = await First.Http.PostAsync("v1/topics/outage/messages", JsonContent("""{"message":"during the outage"}""")))
        {
            await ProblemAssert.IsProblemAsync(publish, 503, "Notify cannot reach");
            Assert.Equal(TimeSpan.FromSeconds(1), publish.Headers.RetryAfter?.Delta);
        }

        _cluster.Servers.DynamoDb.Kill();
        using var create = await Second.Http.PostAsync("v1/topics", JsonContent("""{"name":"new-during-outage"}"""));
        await ProblemAssert.IsProblemAsync(create, 503, "Notify cannot reach");
        Assert.Equal(TimeSpan.FromSeconds(1), create.Headers.RetryAfter?.Delta);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private Task<string> SubscribeConfirmedAsync(NotifyClient client, string topic) =>
        client.SubscribeConfirmedAsync(_receiver, topic, topic);

    private static HashSet<string> DeliveredIds(IEnumerable<ReceivedWebhook> received) =>
        received.Where(x => x.Type == "Notification").Select(x => x.Json.GetProperty("messageId").GetString()!).ToHashSet();
}
