using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Tests.Support;

/// <summary>
/// A store whose next cached read (a topic or a subscriber list), once armed, fetches its answer and then
/// holds it back until released: the moment a cache-aside reader has read the store but not yet refilled
/// the cache, which is where a write and its invalidation can slip in.
/// </summary>
internal sealed class PausingMetadataStore(IMetadataStore inner) : IMetadataStore
{
    private ReadPause? _pause;

    /// <summary>Holds back the next topic or subscriber-list read once it has fetched its answer.</summary>
    public ReadPause PauseNextRead()
    {
        var pause = new ReadPause();
        Volatile.Write(ref _pause, pause);
        return pause;
    }

    public Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) =>
        HeldAsync(inner.GetTopicAsync(name, cancellationToken));

    public Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken) =>
        HeldAsync(inner.GetSubscriberPageAsync(topic, after, through, limit, cancellationToken));

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.CreateTopicAsync(name, now, cancellationToken);

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken) =>
        inner.CreateTopicAsync(topic, cancellationToken);

    public Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        inner.ListTopicsAsync(limit, cursor, cancellationToken);

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) =>
        inner.DeleteTopicAsync(name, cancellationToken);

    public Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken) =>
        inner.SubscribeAsync(candidate, cancellationToken);

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        inner.GetSubscriptionAsync(id, cancellationToken);

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        inner.ListSubscriptionsAsync(topic, limit, cursor, cancellationToken);

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ConfirmSubscriptionAsync(id, now, cancellationToken);

    public Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.DeleteSubscriptionAsync(id, now, cancellationToken);

    public Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken) =>
        inner.SetDisabledAsync(id, reason, cancellationToken);

    public Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken) =>
        inner.SetDeliveryErrorAsync(id, error, cancellationToken);

    public Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        inner.SetSigningSecretsAsync(id, secrets, cancellationToken);

    public Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken) =>
        inner.UpdateTopicAsync(name, settings, cancellationToken);

    public Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken) =>
        inner.UpdateSubscriptionAsync(id, settings, cancellationToken);

    public Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        inner.ListAllSubscriptionsAsync(query, limit, cursor, cancellationToken);

    public Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        inner.GetDeletedSubscriptionAsync(id, cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.DeleteExpiredAsync(now, cancellationToken);

    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.SetSmsOptOutAsync(phoneNumber, optedOut, now, cancellationToken);

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken) =>
        inner.GetSmsOptedOutAsync(phoneNumbers, cancellationToken);

    private async Task<T> HeldAsync<T>(Task<T> read)
    {
        var answer = await read;
        if (Interlocked.Exchange(ref _pause, null) is { } pause)
        {
            await pause.HoldAsync();
        }

        return answer;
    }
}
