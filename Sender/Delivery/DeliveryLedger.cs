using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Shared.Metrics;
using Notify.Shared.Messages;

namespace Notify.Sender.Delivery;

/// <summary>
/// Writes down how each delivery's turn ended: the stats counters (in memory, flushed by
/// <see cref="DeliveryCounters"/>), the scheduled retry records and dead letters, and the message's status.
/// A dead letter is the delivery's only durable record once its queue message is deleted, so its write must
/// succeed (it throws otherwise, and the queue message stays); the other writes are what status calls show
/// and are logged when they fail.
/// </summary>
internal sealed partial class DeliveryLedger(
    IDeliveryStore store,
    DeliveryCounters counters,
    NotifyMetrics metrics,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryLedger> logger)
{
    private readonly DeliveryOptions _options = options.Value;

    /// <summary>Attempts of the turn that failed (each counted by the failed-attempts metric).</summary>
    public void AttemptsFailed(DeliveryTurn turn, int failed)
    {
        for (var i = 0; i < failed; i++)
        {
            metrics.AttemptFailed(turn.Subscription.Protocol.ApiName());
        }
    }

    /// <summary>A fan-out handed the delivery its first attempt.</summary>
    public void Started(DeliveryTurn turn) =>
        counters.Add(StatsScope.Subscription(turn.Subscription.Id), new DeliveryCounts(1, 0, 0, 0, 0));

    public async Task DeliveredAsync(DeliveryTurn turn, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Count(turn, new DeliveryCounts(0, 1, 0, turn.Waiting ? -1 : 0, 0), new LastOutcome(now, null), null);
        metrics.Delivered(turn.Subscription.Protocol.ApiName(), now - turn.Notification.Timestamp);
        if (turn.Waiting)
        {
            await BestEffortAsync(turn, "retry record", () => store.DeleteRetryAsync(turn.Subscription.Id, turn.Notification.MessageId, cancellationToken));
        }

        if (turn.Redrive)
        {
            await BestEffortAsync(turn, "dead letter", () => store.DeleteDeadLetterAsync(turn.Subscription.Id, turn.Notification.MessageId, cancellationToken));
        }

        await AddToMessageAsync(turn, DeliveryEnd.Delivered, cancellationToken);
    }

    /// <param name="next">The work now on the queue.</param>
    /// <param name="lastError">The last attempt's outcome; null when the delivery only waits for its pace.</param>
    public async Task ScheduledAsync(DeliveryTurn turn, DeliveryWork next, string? lastError, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Count(
            turn,
            new DeliveryCounts(0, 0, lastError is null ? 0 : 1, turn.Waiting ? 0 : 1, 0),
            null,
            lastError is null ? null : new LastOutcome(now, lastError));
        if (lastError is not null)
        {
            metrics.RetryScheduled(turn.Subscription.Protocol.ApiName());
        }

        var retry = new ScheduledRetry(
            turn.Subscription.Id,
            turn.Notification.MessageId,
            turn.Notification.Topic,
            next.Attempt,
            next.DueAt,
            lastError ?? "waiting for its turn at the subscription's maxPerSecond",
            next.DueAt + _options.MessageStatusRetention);
        await BestEffortAsync(turn, "retry record", () => store.PutRetryAsync(retry, cancellationToken));
        await AddToMessageAsync(turn, DeliveryEnd.Scheduled, cancellationToken);
    }

    /// <summary>Keeps the dead letter (throws when it cannot), then updates counters and status.</summary>
    public async Task DeadLetteredAsync(
        DeliveryTurn turn, IReadOnlyList<DeliveryAttempt> attempts, string lastError, bool permanent, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.PutDeadLetterAsync(
            new DeadLetter
            {
                SubscriptionId = turn.Subscription.Id,
                MessageId = turn.Notification.MessageId,
                Topic = turn.Notification.Topic,
                PublishedAt = turn.Notification.Timestamp,
                Envelope = EnvelopeJson.Serialize(QueueEnvelope.For(turn.Notification)),
                Attempts = attempts,
                LastError = DeliveryAttempt.Of(0, now, lastError).Outcome,
                Permanent = permanent,
                DeadLetteredAt = now,
                ExpiresAt = now + _options.DeadLetterRetention,
            },
            cancellationToken);

        Count(turn, new DeliveryCounts(0, 0, 0, turn.Waiting ? -1 : 0, 1), null, new LastOutcome(now, lastError));
        metrics.DeadLettered(turn.Subscription.Protocol.ApiName());
        if (turn.Waiting)
        {
            await BestEffortAsync(turn, "retry record", () => store.DeleteRetryAsync(turn.Subscription.Id, turn.Notification.MessageId, cancellationToken));
        }

        await AddToMessageAsync(turn, DeliveryEnd.DeadLettered, cancellationToken);
    }

    /// <summary>The subscription of queued work is gone: a waiting delivery stops being counted.</summary>
    public async Task DroppedAsync(Notification notification, DeliveryWork work, CancellationToken cancellationToken)
    {
        if (!work.Retrying)
        {
            return;
        }

        counters.Add(StatsScope.Subscription(work.SubscriptionId), new DeliveryCounts(0, 0, 0, -1, 0));
        counters.Add(StatsScope.Topic(notification.Topic), new DeliveryCounts(0, 0, 0, -1, 0));
        await BestEffortAsync(notification.MessageId, "retry record", work.SubscriptionId, () => store.DeleteRetryAsync(work.SubscriptionId, notification.MessageId, cancellationToken));
        await AddOutcomeAsync(notification, 0, new MessageOutcomeDelta(0, -1, 0), cancellationToken);
    }

    /// <summary>Records a fan-out's first attempts in its message's status: one write per message.</summary>
    public Task FanOutEndedAsync(Notification notification, int subscribers, MessageOutcomeDelta ends, CancellationToken cancellationToken) =>
        AddOutcomeAsync(notification, subscribers, ends, cancellationToken);

    private Task AddToMessageAsync(DeliveryTurn turn, DeliveryEnd end, CancellationToken cancellationToken)
    {
        // The fan-out adds its first attempts' ends once for the whole message.
        if (turn.IsFanOut)
        {
            return Task.CompletedTask;
        }

        var delta = MessageOutcomeDelta.Of(turn, end);
        return delta.IsZero ? Task.CompletedTask : AddOutcomeAsync(turn.Notification, 0, delta, cancellationToken);
    }

    private async Task AddOutcomeAsync(Notification notification, int subscribers, MessageOutcomeDelta delta, CancellationToken cancellationToken)
    {
        try
        {
            await store.AddMessageOutcomeAsync(
                new MessageOutcome
                {
                    MessageId = notification.MessageId,
                    Topic = notification.Topic,
                    PublishedAt = notification.Timestamp,
                    ExpiresAt = notification.Timestamp + _options.MessageStatusRetention,
                    Subscribers = subscribers,
                    Delivered = delta.Delivered,
                    Retrying = delta.Retrying,
                    DeadLettered = delta.DeadLettered,
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StatusWriteFailed(logger, ex, "message status", notification.MessageId, notification.Topic);
        }
    }

    private void Count(DeliveryTurn turn, DeliveryCounts counts, LastOutcome? success, LastOutcome? failure)
    {
        // A topic's published count is its publishes, counted by the Frontend; a subscription's, the deliveries made to it.
        counters.Add(StatsScope.Subscription(turn.Subscription.Id), counts, success, failure);
        counters.Add(StatsScope.Topic(turn.Notification.Topic), counts with { Published = 0 }, success, failure);
    }

    private Task BestEffortAsync(DeliveryTurn turn, string what, Func<Task> write) =>
        BestEffortAsync(turn.Notification.MessageId, what, turn.Subscription.Id, write);

    private async Task BestEffortAsync(string messageId, string what, string owner, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StatusWriteFailed(logger, ex, what, messageId, owner);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(253, LogLevel.Warning,
            "Could not write the {What} of message {MessageId} ({Owner}); the delivery itself is not affected, its status may lag",
            EventName = "DeliveryStatusWriteFailed")]
        public static partial void StatusWriteFailed(ILogger logger, Exception exception, string what, string messageId, string owner);
    }
}
