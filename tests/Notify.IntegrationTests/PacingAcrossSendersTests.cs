using System.Net.Http.Json;
using Notify.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// A paced subscription's rate holds across Senders: two standalone Senders in Aws mode take the turns of
/// one pace (kept in the deliveries table), so the endpoint never sees twice its rate.
/// </summary>
public sealed class PacingAcrossSendersTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int Messages = 10;
    private const double Rate = 2;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Notify:Delivery:InProcessRetryLimit"] = "00:00:00",
    };

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task TwoSenders_DeliverABurst_NoFasterThanTheSubscriptionsRate()
    {
        await using var cluster = await NotifyCluster.StartAsync(frontends: 1, senders: 2, Settings);
        var client = cluster.Clients[0];
        try
        {
            await client.CreateTopicAsync("paced");
            using var response = await client.Http.PostAsJsonAsync("v1/topics/paced/subscriptions", new
            {
                protocol = "webhook",
                endpoint = _receiver.Url("paced").AbsoluteUri,
                deliveryPolicy = new { maxPerSecond = Rate },
            });
            var id = (await NotifyClient.ExpectJsonAsync(response, 201)).GetProperty("id").GetString()!;
            var confirmation = await _receiver.WaitUntilAsync(r => r.Any(c => c.Type == "SubscriptionConfirmation"), Patience, $"the confirmation of {id}");
            await NotifyClient.FollowLinkAsync(confirmation.First(c => c.Type == "SubscriptionConfirmation").Json.GetProperty("confirmUrl").GetString()!);

            var published = await Task.WhenAll(Enumerable.Range(0, Messages).Select(async i =>
                (await client.PublishAsync("paced", new { message = $"burst {i}" })).GetProperty("messageId").GetString()!));

            var received = (await _receiver.WaitUntilAsync(r => r.Count(n => n.Type == "Notification") >= Messages, Patience, $"all {Messages} messages"))
                .Where(n => n.Type == "Notification").ToList();
            Assert.Equal(published.Order(StringComparer.Ordinal), received.Select(n => n.Json.GetProperty("messageId").GetString()!).Order(StringComparer.Ordinal));

            var times = received.Select(r => r.ArrivedAt).Order().ToList();
            output.WriteLine($"arrivals after the first: {PaceAssert.Describe(times)}");
            foreach (var (sender, i) in cluster.Senders.Select((s, i) => (s, i)))
            {
                var metrics = await MetricsScrape.UntilAsync(sender.BaseAddress, _ => true, "the Sender's metrics", Patience);
                output.WriteLine($"Sender {i} delivered {MetricsScrape.Value(metrics, "notify_deliveries_delivered_total", "protocol=\"webhook\"")}");
            }

            PaceAssert.NoFasterThan(times, Rate);
        }
        catch
        {
            output.WriteLine(cluster.Output);
            throw;
        }
    }
}
