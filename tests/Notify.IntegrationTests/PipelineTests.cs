using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>The whole path through real processes: create, subscribe, confirm, publish, receive.</summary>
public abstract class PipelineTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(deployment: deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task CreateSubscribeConfirmPublish_DeliversNotificationToWebhook()
    {
        var topic = await _notify.Client.CreateTopicAsync("orders");
        Assert.Equal("orders", topic.GetProperty("name").GetString());

        var subscription = await _notify.Client.SubscribeAsync("orders", "webhook", _receiver.Url("orders").AbsoluteUri);
        var id = subscription.GetProperty("id").GetString()!;
        Assert.Equal("pending", subscription.GetProperty("status").GetString());

        var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation request"))
            .Single(x => x.Type == "SubscriptionConfirmation");
        Assert.StartsWith("application/json", confirmation.Headers["Content-Type"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal(id, confirmation.Json.GetProperty("subscriptionId").GetString());
        Assert.Equal("orders", confirmation.Json.GetProperty("topic").GetString());
        var confirmUrl = confirmation.Json.GetProperty("confirmUrl").GetString()!;
        Assert.Contains(confirmation.Json.GetProperty("token").GetString()!, confirmUrl, StringComparison.Ordinal);

        var confirmed = await NotifyClient.FollowLinkAsync(confirmUrl);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());

        var accepted = await _notify.Client.PublishAsync("orders", new
        {
            message = "order 42 shipped",
            subject = "Shipped",
            attributes = new Dictionary<string, string> { ["region"] = "eu" },
        });
        var messageId = accepted.GetProperty("messageId").GetString()!;
        Assert.False(accepted.GetProperty("duplicate").GetBoolean());

        var notification = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "Notification"), Patience, "the notification"))
            .Single(x => x.Type == "Notification").Json;
        Assert.Equal(messageId, notification.GetProperty("messageId").GetString());
        Assert.Equal("orders", notification.GetProperty("topic").GetString());
        Assert.Equal("Shipped", notification.GetProperty("subject").GetString());
        Assert.Equal("order 42 shipped", notification.GetProperty("message").GetString());
        Assert.Equal("eu", notification.GetProperty("attributes").GetProperty("region").GetString());
        Assert.Equal(id, notification.GetProperty("subscriptionId").GetString());
        Assert.True(notification.TryGetProperty("timestamp", out _));

        // The unsubscribe link in the notification works without an API key and stops deliveries.
        var unsubscribed = await NotifyClient.FollowLinkAsync(notification.GetProperty("unsubscribeUrl").GetString()!);
        Assert.Equal("unsubscribed", unsubscribed.GetProperty("status").GetString());
        using var gone = await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Publish_WithSameDedupId_DeliversOnce()
    {
        await SubscribeConfirmedAsync("dedup");

        var first = await _notify.Client.PublishAsync("dedup", new { message = "once", dedupId = "order-7" });
        var again = await _notify.Client.PublishAsync("dedup", new { message = "once" }, idempotencyKey: "order-7");
        var marker = await _notify.Client.PublishAsync("dedup", new { message = "after" });

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("messageId").GetString(), again.GetProperty("messageId").GetString());

        // Wait for the message published after the duplicate, then a little longer for stragglers.
        var markerId = marker.GetProperty("messageId").GetString();
        await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == markerId), Patience, "the marker message");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(_receiver.Notifications, n => n.Json.GetProperty("message").GetString() == "once");
    }

    [Fact]
    public async Task Publish_ToFailingEndpoint_IsRetriedUntilItSucceeds()
    {
        await SubscribeConfirmedAsync("retries");
        var calls = 0;
        _receiver.Respond = r => r.Type == "Notification" && Interlocked.Increment(ref calls) <= 2 ? 503 : 200;

        await _notify.Client.PublishAsync("retries", new { message = "eventually" });

        var received = await _receiver.WaitUntilAsync(r => r.Count(x => x.Type == "Notification") >= 3, Patience, "three attempts");
        Assert.All(received.Where(x => x.Type == "Notification"), n => Assert.Equal("eventually", n.Json.GetProperty("message").GetString()));
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task UnconfirmedSubscription_ReceivesNoNotifications()
    {
        await _notify.Client.CreateTopicAsync("unconfirmed");
        await _notify.Client.SubscribeAsync("unconfirmed", "webhook", _receiver.Url("u").AbsoluteUri);
        var marker = await SubscribeConfirmedAsync("unconfirmed", "confirmed-one");

        await _notify.Client.PublishAsync("unconfirmed", new { message = "only for the confirmed" });

        await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "Notification"), Patience, "the confirmed subscriber's notification");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(_receiver.Notifications, n => Assert.Equal(marker, n.Json.GetProperty("subscriptionId").GetString()));
    }

    private Task<string> SubscribeConfirmedAsync(string topic, string path = "hook") =>
        _notify.SubscribeConfirmedAsync(_receiver, topic, $"{topic}/{path}");
}

public sealed class EmbeddedPipelineTests() : PipelineTests(Deployment.Embedded);

/// <summary>The same path with the Frontend and the Sender as separate processes on DynamoDB, SQS and Redis.</summary>
public sealed class AwsPipelineTests() : PipelineTests(Deployment.Aws);
