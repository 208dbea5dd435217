using Notify.Metadata.Model;
using Notify.Shared.Dependencies;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// A delivery store (SQLite or DynamoDB) whose outages reach callers as <see cref="DependencyUnavailableException"/>
/// (a 503 at the API), named by <paramref name="guard"/>; everything else (a bad cursor, a defect) passes as it is.
/// </summary>
internal sealed class GuardedDeliveryStore(IDeliveryStore inner, DependencyGuard guard) : IDeliveryStore
{
    public Task PutDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.PutDeadLetterAsync(letter, cancellationToken), cancellationToken);

    public Task<DeadLetter?> GetDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetDeadLetterAsync(subscriptionId, messageId, cancellationToken), cancellationToken);

    public Task<Page<DeadLetter>> ListDeadLettersAsync(string subscriptionId, TimeWindow? published, int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListDeadLettersAsync(subscriptionId, published, limit, cursor, cancellationToken), cancellationToken);

    public Task<bool> DeleteDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteDeadLetterAsync(subscriptionId, messageId, cancellationToken), cancellationToken);

    public Task PutRetryAsync(ScheduledRetry retry, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.PutRetryAsync(retry, cancellationToken), cancellationToken);

    public Task DeleteRetryAsync(string subscriptionId, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteRetryAsync(subscriptionId, messageId, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ScheduledRetry>> ListRetriesOfMessageAsync(string messageId, int limit, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListRetriesOfMessageAsync(messageId, limit, cancellationToken), cancellationToken);

    public Task<DateTimeOffset?> NextAttemptOfSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.NextAttemptOfSubscriptionAsync(subscriptionId, cancellationToken), cancellationToken);

    public Task AddMessageOutcomeAsync(MessageOutcome outcome, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.AddMessageOutcomeAsync(outcome, cancellationToken), cancellationToken);

    public Task<MessageOutcome?> GetMessageOutcomeAsync(string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetMessageOutcomeAsync(messageId, cancellationToken), cancellationToken);

    public Task AddCountsAsync(IReadOnlyList<CountsDelta> deltas, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.AddCountsAsync(deltas, cancellationToken), cancellationToken);

    public Task<DeliveryStats> GetStatsAsync(StatsScope scope, DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetStatsAsync(scope, now, cancellationToken), cancellationToken);

    public Task DeleteStatsAsync(StatsScope scope, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteStatsAsync(scope, cancellationToken), cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteExpiredAsync(now, cancellationToken), cancellationToken);
}
