using Notify.Metadata.Model;
using Notify.Shared.Resilience;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>One webhook delivery, serialized once and sent again unchanged on every attempt.</summary>
/// <param name="MessageType">The <c>X-Notify-Message-Type</c> value, also the body's <c>type</c>.</param>
/// <param name="MessageId">The <c>X-Notify-Message-Id</c> value: the same on every retry, so receivers can drop duplicates.</param>
/// <param name="WebhookId">The Standard Webhooks <c>webhook-id</c>: the same on every attempt of this delivery, different for each subscription.</param>
/// <param name="Body">UTF-8 JSON.</param>
/// <param name="Secrets">What each attempt is signed with (<c>webhook-signature</c>); null sends it unsigned.</param>
/// <param name="Plan">How the attempts are numbered and retried; null for the webhook settings' own retries.</param>
/// <param name="Replay">A replayed message: every attempt carries <c>X-Notify-Replay: true</c>.</param>
internal sealed record WebhookRequest(
    Uri Endpoint,
    string MessageType,
    string MessageId,
    string SubscriptionId,
    string WebhookId,
    byte[] Body,
    SigningSecrets? Secrets,
    RetryPlan? Plan = null,
    bool Replay = false);
