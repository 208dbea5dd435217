using Notify.Metadata.Model;
using Notify.Shared.Dependencies;

namespace Notify.Metadata.Store;

/// <summary>
/// A metadata store (SQLite or DynamoDB) whose outages reach callers as
/// <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>; everything else it
/// throws (a missing topic, a bad cursor, a defect) passes as it is.
/// </summary>
internal sealed class GuardedMetadataStore(IMetadataStore inner, DependencyGuard guard) : IMetadataStore
{
    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.CreateTopicAsync(name, now, cancellationToken), cancellationToken);

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.CreateTopicAsync(topic, cancellationToken), cancellationToken);

    public Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetTopicAsync(name, cancellationToken), cancellationToken);

    public Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListTopicsAsync(limit, cursor, cancellationToken), cancellationToken);

    public Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.UpdateTopicAsync(name, settings, cancellationToken), cancellationToken);

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteTopicAsync(name, cancellationToken), cancellationToken);

    public Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SubscribeAsync(candidate, cancellationToken), cancellationToken);

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetSubscriptionAsync(id, cancellationToken), cancellationToken);

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListSubscriptionsAsync(topic, limit, cursor, cancellationToken), cancellationToken);

    public Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListAllSubscriptionsAsync(query, limit, cursor, cancellationToken), cancellationToken);

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ConfirmSubscriptionAsync(id, now, cancellationToken), cancellationToken);

    public Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.UpdateSubscriptionAsync(id, settings, cancellationToken), cancellationToken);

    public Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetSubscriberPageAsync(topic, after, through, limit, cancellationToken), cancellationToken);

    public Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteSubscriptionAsync(id, now, cancellationToken), cancellationToken);

    public Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetDeletedSubscriptionAsync(id, cancellationToken), cancellationToken);

    public Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SetDisabledAsync(id, reason, cancellationToken), cancellationToken);

    public Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SetDeliveryErrorAsync(id, error, cancellationToken), cancellationToken);

    public Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SetSigningSecretsAsync(id, secrets, cancellationToken), cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteExpiredAsync(now, cancellationToken), cancellationToken);

    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SetSmsOptOutAsync(phoneNumber, optedOut, now, cancellationToken), cancellationToken);

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetSmsOptedOutAsync(phoneNumbers, cancellationToken), cancellationToken);
}
