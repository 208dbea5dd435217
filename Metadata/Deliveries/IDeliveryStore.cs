using Notify.Metadata.Model;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// What Notify keeps about deliveries, beside the queue that carries them: dead letters per subscription,
/// the retries that are scheduled and waiting, each message's fan-out outcome, and the counters behind the
/// stats. Embedded: <c>deliveries.db</c>; Aws: the DynamoDB table <c>{prefix}deliveries</c>.
/// </summary>
/// <remarks>
/// The success path of a delivery writes nothing here per delivery: a fan-out records its outcome once per
/// message (<see cref="AddMessageOutcomeAsync"/>) and counters are aggregated in memory and flushed
/// (<see cref="AddCountsAsync"/>). Retries and dead letters, which are failures, write one item each.
/// Expired items are absent for every read, whether or not <see cref="DeleteExpiredAsync"/> has run.
/// </remarks>
public interface IDeliveryStore
{
    /// <summary>Keeps (or replaces, for the same subscription and message) a dead letter until its <see cref="DeadLetter.ExpiresAt"/>.</summary>
    Task PutDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken);

    Task<DeadLetter?> GetDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// A subscription's dead letters in message id order (which is publish time order), optionally only those
    /// whose message was published in [<see cref="TimeWindow.From"/>, <see cref="TimeWindow.To"/>).
    /// </summary>
    /// <exception cref="Store.InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<DeadLetter>> ListDeadLettersAsync(
        string subscriptionId, TimeWindow? published, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>False when there was no such dead letter.</summary>
    Task<bool> DeleteDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a scheduled retry (replacing the earlier record of the same subscription and message), so the
    /// subscription's and the message's status can show it; the queue message is what makes it happen.
    /// </summary>
    Task PutRetryAsync(ScheduledRetry retry, CancellationToken cancellationToken);

    /// <summary>Forgets a scheduled retry once its delivery ended (delivered or dead-lettered). Idempotent.</summary>
    Task DeleteRetryAsync(string subscriptionId, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// The retries waiting for one message (the retrying part of its status), at most <paramref name="limit"/>,
    /// in no promised order. DynamoDB reads them from a global index, which may miss a retry recorded a
    /// moment ago (eventual consistency); SQLite's are exact.
    /// </summary>
    Task<IReadOnlyList<ScheduledRetry>> ListRetriesOfMessageAsync(string messageId, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest next attempt among a subscription's waiting retries; null when none waits.</summary>
    Task<DateTimeOffset?> NextAttemptOfSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="outcome"/>'s counts to the message's status (creating it, with
    /// <see cref="MessageOutcome.Topic"/>, <see cref="MessageOutcome.PublishedAt"/> and
    /// <see cref="MessageOutcome.ExpiresAt"/>, on the first call). Counts are added, never replaced, so a
    /// fan-out and its later retries each add what they settled (a retry that ends adds -1 retrying and +1
    /// delivered or dead-lettered).
    /// </summary>
    Task AddMessageOutcomeAsync(MessageOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The message's status while it is retained; null before its fan-out recorded anything, or after it expired.</summary>
    Task<MessageOutcome?> GetMessageOutcomeAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds each delta's counts to its scope's totals and to its scope's bucket for <see cref="CountsDelta.Minute"/>
    /// (kept at least <see cref="DeliveryStats.Window"/>), and moves the scope's last success / failure forward
    /// (a later time wins; an earlier one is ignored). A success later than <see cref="DeliveryStats.FailingSince"/>
    /// clears it; a failure later than the delta's success starts it when it is not set. One call per flush of
    /// the in-memory counters.
    /// </summary>
    Task AddCountsAsync(IReadOnlyList<CountsDelta> deltas, CancellationToken cancellationToken);

    /// <summary>
    /// A scope's totals since it was first counted, the sum of its buckets in the <see cref="DeliveryStats.Window"/>
    /// before <paramref name="now"/>, and its last success and failure; all zero and null for a scope never counted.
    /// </summary>
    Task<DeliveryStats> GetStatsAsync(StatsScope scope, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets a scope (its topic or subscription was deleted): totals, buckets, last outcomes.</summary>
    Task DeleteStatsAsync(StatsScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes expired dead letters, scheduled retries and message statuses, and stats buckets older than twice the window;
    /// returns how many it deleted. Reads ignore expired items already; an engine that expires items by
    /// itself (DynamoDB's TTL) may delete nothing here.
    /// </summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
