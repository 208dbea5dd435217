using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Sender.Delivery;
using Notify.Shared.Messages;

namespace Notify.Sender.Processing;

/// <summary>
/// Who a received message goes to: for a notification, the topic's confirmed subscribers (its one page; a
/// larger topic is split into pages instead), less SMS numbers that opted out and subscriptions whose
/// filter policy the message does not match; for a page of a large fan-out, the same of the page's range;
/// for a confirmation request, its subscription while it is still pending; for a delivery's later turn, its
/// subscription while it is confirmed.
/// </summary>
internal sealed partial class DeliveryTargets(IMetadataStore store, DeliveryLedger ledger, int pageSize, ILogger logger)
{
    private readonly FilterPolicies _policies = new(logger);

    public async Task<TargetResolution> ResolveAsync(string messageId, QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        switch (envelope.Kind)
        {
            case EnvelopeKind.Delivery:
                return new(await WorkTargetAsync(envelope, cancellationToken));

            case EnvelopeKind.Notification:
                var notification = envelope.Notification!;
                var first = await store.GetSubscriberPageAsync(notification.Topic, null, null, pageSize, cancellationToken);
                return first.ContinueAfter is null
                    ? new(await SubscribersAsync(messageId, notification, first.Subscribers, cancellationToken))
                    : TargetResolution.Split(first);

            case EnvelopeKind.FanOutPage:
                // Bounded by the range cut when the message was split, not by a limit: no subscriber of it is left out.
                var page = envelope.Page!;
                var range = await store.GetSubscriberPageAsync(envelope.Notification!.Topic, page.After, page.Through, int.MaxValue, cancellationToken);
                return new(await SubscribersAsync(messageId, envelope.Notification, range.Subscribers, cancellationToken));
        }

        var pending = await store.GetSubscriptionAsync(envelope.SubscriptionId!, cancellationToken);
        // A disabled subscription was confirmed before it was disabled: it needs no confirmation either.
        if (pending is null || pending.Status != SubscriptionStatus.Pending)
        {
            Log.ConfirmationNotNeeded(logger, messageId, envelope.SubscriptionId!, pending is null ? "gone (deleted, unsubscribed or expired)" : "already confirmed");
            return new([]);
        }

        return new([new DeliveryTarget(pending, null)]);
    }

    /// <summary>The notification's targets among <paramref name="confirmed"/>: less opted-out numbers and what filter policies turn away.</summary>
    private async Task<IReadOnlyList<DeliveryTarget>> SubscribersAsync(
        string messageId, Notification notification, IReadOnlyList<Subscription> confirmed, CancellationToken cancellationToken)
    {
        var subscriptions = await WithoutOptedOutAsync(confirmed, messageId, cancellationToken);
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

    /// <summary>
    /// The target of a delivery received as queue work: its subscription while it is confirmed. A disabled
    /// subscription's delivery becomes a dead letter (its owner may redrive it after enabling); one whose
    /// subscription is gone is dropped.
    /// </summary>
    private async Task<IReadOnlyList<DeliveryTarget>> WorkTargetAsync(QueueEnvelope envelope, CancellationToken cancellationToken)
    {
        var work = envelope.Delivery!;
        var notification = envelope.Notification!;
        var subscription = await store.GetSubscriptionAsync(work.SubscriptionId, cancellationToken);
        switch (subscription?.Status)
        {
            case SubscriptionStatus.Confirmed:
                return [new DeliveryTarget(subscription, notification, work)];

            case SubscriptionStatus.Disabled:
                var turn = new DeliveryTurn(notification, subscription, work);
                await ledger.DeadLetteredAsync(turn, work.History, "subscription disabled", permanent: true, CancellationToken.None);
                return [];

            default:
                await ledger.DroppedAsync(notification, work, CancellationToken.None);
                return [];
        }
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
