using System.Text.Json;
using Notify.Sender.Channels.Webhooks;
using Notify.Shared.Links;
using Notify.Tests.Support;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Webhooks;

/// <summary>What a subscriber's endpoint really receives.</summary>
public sealed class WebhookPayloadTests
{
    [Fact]
    public async Task Notification_IsPostedAsJsonWithTheDocumentedFieldsAndHeaders()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create();
        var notification = WebhookHarness.Notification(attributes: new Dictionary<string, string> { ["priority"] = "high" });
        var subscription = WebhookHarness.Subscription(server.Url());

        var result = await harness.Channel.DeliverAsync(notification, subscription, plan: null, CancellationToken.None);

        Assert.True(result.Delivered);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("Notify/1.0", request.Headers["User-Agent"]);
        Assert.Equal("Notification", request.Headers["X-Notify-Message-Type"]);
        Assert.Equal(notification.MessageId, request.Headers["X-Notify-Message-Id"]);
        Assert.Equal(subscription.Id, request.Headers["X-Notify-Subscription-Id"]);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(
            ["type", "messageId", "topic", "subject", "message", "attributes", "timestamp", "subscriptionId", "unsubscribeUrl"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Notification", root.GetProperty("type").GetString());
        Assert.Equal(notification.MessageId, root.GetProperty("messageId").GetString());
        Assert.Equal("orders", root.GetProperty("topic").GetString());
        Assert.Equal("Shipped", root.GetProperty("subject").GetString());
        Assert.Equal("order 42 shipped", root.GetProperty("message").GetString());
        Assert.Equal("high", root.GetProperty("attributes").GetProperty("priority").GetString());
        Assert.Equal(notification.Timestamp, root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(subscription.Id, root.GetProperty("subscriptionId").GetString());
        Assert.Equal(
            $"https://notify.example/v1/subscriptions/{subscription.Id}/unsubscribe?token={TestLinkTokens.Create().Derive(LinkPurpose.Unsubscribe, subscription.Id)}",
            root.GetProperty("unsubscribeUrl").GetString());
    }

    [Fact]
    public async Task Notification_WithoutSubjectOrAttributes_KeepsTheSameShape()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create();

        await harness.Channel.DeliverAsync(
            WebhookHarness.Notification(subject: null, attributes: null), WebhookHarness.Subscription(server.Url()), plan: null, CancellationToken.None);

        using var body = JsonDocument.Parse(Assert.Single(server.Requests).Body);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("subject").ValueKind);
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("attributes").ValueKind);
        Assert.Empty(body.RootElement.GetProperty("attributes").EnumerateObject());
    }

    [Fact]
    public async Task Confirmation_IsPostedWithTokenAndConfirmUrl()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(server.Url(), status: Notify.Metadata.Model.SubscriptionStatus.Pending);

        var result = await harness.Channel.ConfirmAsync(subscription, CancellationToken.None);

        Assert.True(result.Delivered);
        var request = Assert.Single(server.Requests);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("SubscriptionConfirmation", request.Headers["X-Notify-Message-Type"]);
        Assert.Equal(WebhookChannel.ConfirmationMessageId(subscription.Id), request.Headers["X-Notify-Message-Id"]);
        Assert.Equal(subscription.Id, request.Headers["X-Notify-Subscription-Id"]);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(["type", "subscriptionId", "topic", "token", "confirmUrl"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("SubscriptionConfirmation", root.GetProperty("type").GetString());
        Assert.Equal(subscription.Id, root.GetProperty("subscriptionId").GetString());
        Assert.Equal("orders", root.GetProperty("topic").GetString());
        Assert.Equal(TestLinkTokens.Create().Derive(LinkPurpose.Confirm, subscription.Id), root.GetProperty("token").GetString());
        Assert.Equal(
            $"https://notify.example/v1/subscriptions/{subscription.Id}/confirm?token={TestLinkTokens.Create().Derive(LinkPurpose.Confirm, subscription.Id)}",
            root.GetProperty("confirmUrl").GetString());
    }

    [Fact]
    public async Task Confirmation_SentTwice_CarriesTheSameMessageId()
    {
        await using var server = await WebhookTestServer.StartAsync(200, 200);
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(server.Url(), status: Notify.Metadata.Model.SubscriptionStatus.Pending);

        await harness.Channel.ConfirmAsync(subscription, CancellationToken.None);
        await harness.Channel.ConfirmAsync(subscription, CancellationToken.None);

        Assert.Single(server.Requests.Select(r => r.Headers["X-Notify-Message-Id"]).Distinct());
    }

    [Fact]
    public async Task Delivery_ToAnEndpointThatIsNotAnHttpUrl_IsGivenUpWithoutACall()
    {
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(new Uri("ftp://files.example/drop"));

        var result = await harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(0, result.Attempts);
    }
}
