using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Sender.Channels;
using Notify.Sender.Processing;
using Notify.Shared.Messages;

namespace Notify.Sender.Delivery;

/// <summary>
/// Runs one delivery's turn: waits for the subscription's pace, makes the attempts its schedule allows in
/// this process, then ends it one way: delivered; its next attempt scheduled on the queue (so the queue
/// message the turn came in can be deleted and no host holds it while it waits); or, once it failed for good
/// or ran out of attempts, a dead letter. A 410 Gone disables the subscription, as does failing for
/// <see cref="DeliveryOptions.DisableAfter"/>.
/// </summary>
internal sealed partial class DeliveryRunner(
    DeliveryChannels channels,
    DeliverySchedules schedules,
    SubscriptionPacer pacer,
    DeliveryWorkQueue workQueue,
    DeliveryLedger ledger,
    SubscriptionDisabler disabler,
    SubscriptionOutcomes outcomes,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryRunner> logger)
{
    private readonly TimeSpan _inProcessLimit = options.Value.InProcessRetryLimit;

    // A turn due this close to now is taken at once rather than queued.
    private static readonly TimeSpan PaceTolerance = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Runs the turn. Throws <see cref="OperationCanceledException"/> when <paramref name="stop"/> is cancelled
    /// before the turn ended, and any failure to record a dead letter: the queue message must then stay.
    /// </summary>
    public async Task<DeliveryEnd> RunAsync(DeliveryTurn turn, CancellationToken stop)
    {
        var subscription = turn.Subscription;
        if (turn.IsFanOut)
        {
            ledger.Started(turn);
        }

        if (subscription.DeliveryPolicy?.MaxPerSecond is { } rate && !turn.HoldsPace)
        {
            var slot = await pacer.ReserveAsync(subscription.Id, rate, stop);
            if (slot - clock.GetUtcNow() > PaceTolerance)
            {
                var paced = Next(turn, turn.Attempt, slot, turn.History) with { Paced = true };
                await workQueue.ScheduleAsync(turn.Notification, paced, stop);
                await ledger.ScheduledAsync(turn, paced, lastError: null, CancellationToken.None);
                return DeliveryEnd.Scheduled;
            }
        }

        var schedule = schedules.For(subscription);
        DeliveryResult result;
        if (channels.TryGet(subscription.Protocol, out var channel))
        {
            // A paced subscription makes no retry in process: each attempt must wait its turn. Its send turn
            // is waited for by the channel, once the request is ready (see RetryPlan.WaitToSendAsync).
            var plan = subscription.DeliveryPolicy?.MaxPerSecond is { } pace
                ? new SchedulePlan(schedule, turn.Attempt, TimeSpan.Zero, token => pacer.WaitToSendAsync(subscription.Id, pace, token))
                : new SchedulePlan(schedule, turn.Attempt, _inProcessLimit);
            result = await channel.DeliverAsync(turn.Notification, subscription, plan, stop);
        }
        else
        {
            // Not a crash and not a silent drop: a subscription whose channel this server does not have.
            Log.NoChannel(logger, subscription.Protocol, turn.Notification.MessageId, subscription.Id);
            result = DeliveryResult.NotAttempted($"no {subscription.Protocol} channel on this server", "no-channel");
        }

        ledger.AttemptsFailed(turn, result.Delivered ? result.Attempts - 1 : result.Attempts);
        await outcomes.RecordAsync(turn.Notification.MessageId, subscription, confirmation: false, result);
        if (result.Delivered)
        {
            Log.Delivered(logger, turn.Notification.MessageId, subscription.Id, subscription.Protocol, turn.Attempt + result.Attempts - 1);
            await ledger.DeliveredAsync(turn, CancellationToken.None);
            return DeliveryEnd.Delivered;
        }

        var lastAttempt = turn.Attempt + Math.Max(result.Attempts, 1) - 1;
        IReadOnlyList<DeliveryAttempt> history = [.. turn.History, .. result.History];
        if (!result.Permanent && SchedulePlan.NextWait(schedule, lastAttempt, result.RetryAfter) is { } wait)
        {
            var next = Next(turn, lastAttempt + 1, clock.GetUtcNow() + wait, history);
            await workQueue.ScheduleAsync(turn.Notification, next, stop);
            Log.RetryScheduled(logger, turn.Notification.MessageId, subscription.Id, subscription.Protocol, lastAttempt, result.LastStatus, next.Attempt, wait);
            await ledger.ScheduledAsync(turn, next, result.LastStatus, CancellationToken.None);
            await disabler.CheckFailingAsync(subscription, CancellationToken.None);
            return DeliveryEnd.Scheduled;
        }

        Log.DeadLettered(logger, turn.Notification.MessageId, subscription.Id, subscription.Protocol, lastAttempt, result.LastStatus, result.Permanent);
        await ledger.DeadLetteredAsync(turn, history, result.LastStatus, result.Permanent, CancellationToken.None);
        if (result.Gone)
        {
            await disabler.GoneAsync(subscription, CancellationToken.None);
        }
        else
        {
            await disabler.CheckFailingAsync(subscription, CancellationToken.None);
        }

        return DeliveryEnd.DeadLettered;
    }

    private static DeliveryWork Next(DeliveryTurn turn, int attempt, DateTimeOffset dueAt, IReadOnlyList<DeliveryAttempt> history) => new()
    {
        SubscriptionId = turn.Subscription.Id,
        Attempt = attempt,
        DueAt = dueAt,
        History = history,
        Redrive = turn.Redrive,
        Retrying = true,
    };

    private static partial class Log
    {
        [LoggerMessage(206, LogLevel.Debug,
            "Delivered message {MessageId} to subscription {SubscriptionId} ({Protocol}) at attempt {Attempt}",
            EventName = "Delivered")]
        public static partial void Delivered(ILogger logger, string messageId, string subscriptionId, Protocol protocol, int attempt);

        [LoggerMessage(207, LogLevel.Warning,
            "Message {MessageId} to subscription {SubscriptionId} ({Protocol}) is a dead letter after attempt {Attempt} ({LastStatus}; permanent: {Permanent})",
            EventName = "DeliveryDeadLettered")]
        public static partial void DeadLettered(
            ILogger logger, string messageId, string subscriptionId, Protocol protocol, int attempt, string lastStatus, bool permanent);

        [LoggerMessage(208, LogLevel.Warning,
            "No delivery channel for protocol {Protocol}: message {MessageId} to subscription {SubscriptionId} goes to its dead letters",
            EventName = "NoDeliveryChannel")]
        public static partial void NoChannel(ILogger logger, Protocol protocol, string messageId, string subscriptionId);

        [LoggerMessage(250, LogLevel.Information,
            "Message {MessageId} to subscription {SubscriptionId} ({Protocol}): attempt {Attempt} failed ({LastStatus}); attempt {Next} is scheduled in {Wait}",
            EventName = "DeliveryRetryScheduled")]
        public static partial void RetryScheduled(
            ILogger logger, string messageId, string subscriptionId, Protocol protocol, int attempt, string lastStatus, int next, TimeSpan wait);
    }
}
