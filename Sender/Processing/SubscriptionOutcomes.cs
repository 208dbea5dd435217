using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Sender.Channels;

namespace Notify.Sender.Processing;

/// <summary>
/// Keeps on the subscription what its owner should see after a delivery ended: a provider's permanent
/// refusal (a recipient who told the provider to stop, Twilio 21610, is opted out too, so nothing more is
/// sent), and why a confirmation request did not arrive, so a subscription that stays pending says why
/// (cleared once a confirmation request gets through). Best effort: the delivery has ended either way.
/// </summary>
internal sealed partial class SubscriptionOutcomes(IMetadataStore store, TimeProvider clock, ILogger logger)
{
    public async Task RecordAsync(string messageId, Subscription subscription, bool confirmation, DeliveryResult result)
    {
        var now = clock.GetUtcNow();
        var (change, error) = result switch
        {
            { Delivered: true } when confirmation && subscription.LastDeliveryError is not null => (true, null),
            { Delivered: true } => (false, null),
            { Refusal: { } refusal } => (true, new DeliveryError(refusal.Code, refusal.Detail, now)),
            _ when confirmation => (true, new DeliveryError(
                result.Code ?? "undelivered",
                $"The confirmation request was not delivered after {result.Attempts} attempt(s) ({result.LastStatus}); send it again with POST /v1/subscriptions/{subscription.Id}/confirmation.",
                now)),
            _ => (false, (DeliveryError?)null),
        };

        if (!change)
        {
            return;
        }

        try
        {
            await store.SetDeliveryErrorAsync(subscription.Id, error, CancellationToken.None);
            if (result.Refusal is { RecipientOptedOut: true } && subscription.Protocol == Protocol.Sms)
            {
                await store.SetSmsOptOutAsync(subscription.Endpoint, true, now, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            Log.RecordFailed(logger, ex, messageId, subscription.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(220, LogLevel.Warning,
            "Could not record how the delivery of message {MessageId} ended on subscription {SubscriptionId}",
            EventName = "RecordOutcomeFailed")]
        public static partial void RecordFailed(ILogger logger, Exception exception, string messageId, string subscriptionId);
    }
}
