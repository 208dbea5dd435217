namespace Notify.Sender.Channels.Webhooks;

/// <summary>The headers and type names every webhook request carries, so a receiver can route before parsing.</summary>
internal static class WebhookHeaders
{
    public const string UserAgent = "Notify/1.0";
    public const string MessageType = "X-Notify-Message-Type";
    public const string MessageId = "X-Notify-Message-Id";
    public const string SubscriptionId = "X-Notify-Subscription-Id";

    /// <summary>The attempt's number among all attempts of the delivery: 1, 2, … (the message id stays the same).</summary>
    public const string Attempt = "X-Notify-Attempt";

    /// <summary>"true" on every attempt of a replayed message's delivery; absent otherwise.</summary>
    public const string Replay = "X-Notify-Replay";

    /// <summary>Standard Webhooks: the delivery's id, the same on every attempt (<see cref="WebhookRequest.WebhookId"/>).</summary>
    public const string WebhookId = "webhook-id";

    /// <summary>Standard Webhooks: the attempt's time in Unix seconds, signed with the body.</summary>
    public const string WebhookTimestamp = "webhook-timestamp";

    /// <summary>Standard Webhooks: space-separated <c>v1,</c> signatures, one per active secret (<see cref="WebhookSigner"/>).</summary>
    public const string WebhookSignature = "webhook-signature";

    public const string NotificationType = "Notification";
    public const string ConfirmationType = "SubscriptionConfirmation";
}
