using System.Text.Json.Serialization;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>The body of a notification webhook. Every field is always present (subject may be null), so receivers see one shape.</summary>
internal sealed record WebhookNotificationPayload
{
    [JsonPropertyOrder(-1)]
    public string Type => WebhookHeaders.NotificationType;

    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public string? Subject { get; init; }
    public required string Message { get; init; }
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string SubscriptionId { get; init; }
    public required string UnsubscribeUrl { get; init; }
}
