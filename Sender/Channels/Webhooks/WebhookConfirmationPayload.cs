using System.Text.Json.Serialization;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>The body of a confirmation request: the endpoint's owner confirms by fetching <see cref="ConfirmUrl"/>.</summary>
internal sealed record WebhookConfirmationPayload
{
    [JsonPropertyOrder(-1)]
    public string Type => WebhookHeaders.ConfirmationType;

    public required string SubscriptionId { get; init; }
    public required string Topic { get; init; }
    public required string Token { get; init; }
    public required string ConfirmUrl { get; init; }
}
