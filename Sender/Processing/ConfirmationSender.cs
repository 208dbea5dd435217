using Notify.Metadata.Model;
using Notify.Sender.Channels;

namespace Notify.Sender.Processing;

/// <summary>
/// Sends a pending subscription's confirmation request through its channel. Not a delivery: it follows the
/// channel's own retries (no schedule, no dead letter), and a request that does not arrive is recorded on
/// the subscription, so its owner sees why it stays pending.
/// </summary>
internal sealed partial class ConfirmationSender(DeliveryChannels channels, SubscriptionOutcomes outcomes, ILogger logger)
{
    /// <summary>Throws only <see cref="OperationCanceledException"/> when cancelled.</summary>
    public async Task SendAsync(string messageId, Subscription subscription, CancellationToken cancellationToken)
    {
        if (!channels.TryGet(subscription.Protocol, out var channel))
        {
            Log.NoChannel(logger, subscription.Protocol, messageId, subscription.Id);
            return;
        }

        var result = await channel.ConfirmAsync(subscription, cancellationToken);
        if (!result.Delivered)
        {
            Log.GivenUp(logger, messageId, subscription.Id, subscription.Protocol, result.Attempts, result.LastStatus);
        }

        await outcomes.RecordAsync(messageId, subscription, confirmation: true, result);
    }

    private static partial class Log
    {
        [LoggerMessage(251, LogLevel.Warning,
            "Gave up sending confirmation request {MessageId} to subscription {SubscriptionId} ({Protocol}) after {Attempts} attempt(s); last status: {LastStatus}",
            EventName = "ConfirmationGivenUp")]
        public static partial void GivenUp(
            ILogger logger, string messageId, string subscriptionId, Protocol protocol, int attempts, string lastStatus);

        [LoggerMessage(252, LogLevel.Warning,
            "No delivery channel for protocol {Protocol}: gave up sending confirmation request {MessageId} to subscription {SubscriptionId}",
            EventName = "NoConfirmationChannel")]
        public static partial void NoChannel(ILogger logger, Protocol protocol, string messageId, string subscriptionId);
    }
}
