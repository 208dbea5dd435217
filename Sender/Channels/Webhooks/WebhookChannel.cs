using System.Collections.ObjectModel;
using System.Text.Json;
using Notify.Metadata.Model;
using Notify.Shared.Links;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>Delivers to <see cref="Protocol.Webhook"/> subscribers: builds the JSON body, then hands it to <see cref="WebhookSender"/>.</summary>
internal sealed class WebhookChannel(WebhookSender sender, PublicLinks links) : IDeliveryChannel
{
    /// <summary>The protocol key of webhook bodies in a publish's <c>messages</c>.</summary>
    public const string ProtocolKey = "webhook";

    public Protocol Protocol => Protocol.Webhook;

    /// <summary>Webhooks use the Sender's MaxConcurrentDeliveries.</summary>
    public int? MaxConcurrent => null;

    /// <summary>
    /// The <c>X-Notify-Message-Id</c> of a subscription's confirmation request: the same on every
    /// resend, so a receiver can recognise a repeat.
    /// </summary>
    public static string ConfirmationMessageId(string subscriptionId) => $"confirmation-{subscriptionId}";

    /// <summary>
    /// The <c>webhook-id</c> of a message's delivery to a subscription: made of both, so it is the same on
    /// every attempt and after a Sender restart (and for a replay: an idempotent receiver drops what it
    /// already handled), while the same message to two subscriptions gets two ids.
    /// </summary>
    public static string NotificationWebhookId(string messageId, string subscriptionId) => $"msg_{messageId}_{subscriptionId}";

    /// <summary>The <c>webhook-id</c> of a subscription's confirmation request: the same on every resend.</summary>
    public static string ConfirmationWebhookId(string subscriptionId) => $"msg_confirmation_{subscriptionId}";

    public Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, RetryPlan? plan, CancellationToken cancellationToken)
    {
        if (!TryGetEndpoint(subscription, out var endpoint))
        {
            return Task.FromResult(InvalidEndpoint);
        }

        var payload = new WebhookNotificationPayload
        {
            MessageId = notification.MessageId,
            Topic = notification.Topic,
            Subject = notification.Subject,
            Message = notification.MessageFor(ProtocolKey),
            Attributes = notification.Attributes ?? ReadOnlyDictionary<string, string>.Empty,
            Timestamp = notification.Timestamp,
            SubscriptionId = subscription.Id,
            UnsubscribeUrl = links.UnsubscribeUrl(subscription.Id),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, WebhookJson.Default.WebhookNotificationPayload);
        return sender.SendAsync(
            new WebhookRequest(
                endpoint,
                WebhookHeaders.NotificationType,
                notification.MessageId,
                subscription.Id,
                NotificationWebhookId(notification.MessageId, subscription.Id),
                body,
                subscription.SigningSecrets,
                plan,
                notification.Replay),
            cancellationToken);
    }

    public Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        if (!TryGetEndpoint(subscription, out var endpoint))
        {
            return Task.FromResult(InvalidEndpoint);
        }

        var payload = new WebhookConfirmationPayload
        {
            SubscriptionId = subscription.Id,
            Topic = subscription.Topic,
            Token = links.ConfirmToken(subscription.Id),
            ConfirmUrl = links.ConfirmUrl(subscription.Id),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(payload, WebhookJson.Default.WebhookConfirmationPayload);
        return sender.SendAsync(
            new WebhookRequest(
                endpoint,
                WebhookHeaders.ConfirmationType,
                ConfirmationMessageId(subscription.Id),
                subscription.Id,
                ConfirmationWebhookId(subscription.Id),
                body,
                subscription.SigningSecrets),
            cancellationToken);
    }

    // The Frontend validates endpoints at subscribe time; this guards against a store edited by hand.
    private static DeliveryResult InvalidEndpoint => DeliveryResult.NotAttempted("the endpoint is not an absolute http(s) URL", "invalid-endpoint");

    private static bool TryGetEndpoint(Subscription subscription, out Uri endpoint) =>
        Uri.TryCreate(subscription.Endpoint, UriKind.Absolute, out endpoint!)
        && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps);
}
