using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Messages;

namespace Notify.Sender.Processing;

/// <summary>
/// Who a received message goes to: for a notification, the topic's confirmed subscribers, less SMS numbers
/// that opted out and subscriptions whose filter policy the message does not match; for a confirmation
/// request, its subscription while it is still pending.
/// </summary>
internal sealed partial class DeliveryTargets(IMetadataStore store, ILogger logger)
{
    private readonly FilterPolicies _policies = new(logger);

    public async Task<IReadOnlyList<DeliveryTarget>> ResolveAsync(string messageId, QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        if (envelope.Kind == EnvelopeKind.Notification)
        {
            var notification = envelope.Notification!;
            var subscriptions = await WithoutOptedOutAsync(
                await store.GetConfirmedSubscriptionsAsync(notification.Topic, cancellationToken), messageId, cancellationToken);
            var targets = new List<DeliveryTarget>(subscriptions.Count);
            foreach (var subscription in subscriptions)
            {
                if (_policies.Admits(subscription, notification))
                {
                    targets.Add(new DeliveryTarget(subscription, notification));
                }
            }

            if (targets.Count < subscriptions.Count)
            {
                Log.SkippedByFilter(logger, subscriptions.Count - targets.Count, messageId);
            }

            if (targets.Count == 0)
            {
                Log.NoSubscribers(logger, messageId, notification.Topic);
            }

            return targets;
        }

        var pending = await store.GetSubscriptionAsync(envelope.SubscriptionId!, cancellationToken);
        // A disabled subscription was confirmed before it was disabled: it needs no confirmation either.
        if (pending is null || pending.Status != SubscriptionStatus.Pending)
        {
            Log.ConfirmationNotNeeded(logger, messageId, envelope.SubscriptionId!, pending is null ? "gone (deleted, unsubscribed or expired)" : "already confirmed");
            return [];
        }

        return [new DeliveryTarget(pending, null)];
    }

    /// <summary>Drops SMS subscribers whose number replied STOP: one read per message that has SMS subscribers.</summary>
    private async Task<IReadOnlyList<Subscription>> WithoutOptedOutAsync(
        IReadOnlyList<Subscription> subscriptions, string messageId, CancellationToken cancellationToken)
    {
        var optedOut = await store.OptedOutNumbersAsync(subscriptions, cancellationToken);
        if (optedOut.Count == 0)
        {
            return subscriptions;
        }

        var kept = subscriptions.Where(s => !s.IsOptedOut(optedOut)).ToList();
        Log.SkippedOptedOut(logger, subscriptions.Count - kept.Count, messageId);
        return kept;
    }

    private static partial class Log
    {
        [LoggerMessage(202, LogLevel.Debug,
            "Message {MessageId} for topic {Topic} has no confirmed subscribers that take it",
            EventName = "NoSubscribers")]
        public static partial void NoSubscribers(ILogger logger, string messageId, string topic);

        [LoggerMessage(203, LogLevel.Debug,
            "Confirmation request {MessageId} for subscription {SubscriptionId} is not needed: the subscription is {State}",
            EventName = "ConfirmationNotNeeded")]
        public static partial void ConfirmationNotNeeded(ILogger logger, string messageId, string subscriptionId, string state);

        [LoggerMessage(219, LogLevel.Debug,
            "Skipped {Count} SMS subscriber(s) of message {MessageId}: their numbers opted out",
            EventName = "SkippedOptedOut")]
        public static partial void SkippedOptedOut(ILogger logger, int count, string messageId);

        [LoggerMessage(221, LogLevel.Debug,
            "Skipped {Count} subscriber(s) of message {MessageId}: their filter policies do not match its attributes",
            EventName = "SkippedByFilter")]
        public static partial void SkippedByFilter(ILogger logger, int count, string messageId);
    }
}
