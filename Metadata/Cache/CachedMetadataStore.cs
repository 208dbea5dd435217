using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Metadata.Cache;

/// <summary>
/// The metadata service's read path: topics and subscriber lists come from the cache when present and
/// from the store otherwise (cache-aside). Every write goes to the store first, then invalidates the
/// keys it changed, so this process never serves its own stale write.
/// </summary>
internal sealed class CachedMetadataStore(IMetadataStore store, IMetadataCache cache) : IMetadataStore
{
    internal static string TopicKey(string topic) => "topic:" + topic;

    internal static string SubscribersKey(string topic) => "subscribers:" + topic;

    public async Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await store.CreateTopicAsync(name, now, cancellationToken);
        await cache.InvalidateAsync(TopicKey(name), cancellationToken);
        return result;
    }

    public async Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken)
    {
        var key = TopicKey(name);
        var cached = await cache.TryGetAsync<Topic>(key, cancellationToken);
        if (cached.Found)
        {
            return cached.Value;
        }

        var topic = await store.GetTopicAsync(name, cancellationToken);
        if (topic is not null)
        {
            await cache.RefillAsync(key, topic, cached.Ticket, cancellationToken);
        }

        return topic;
    }

    public Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ListTopicsAsync(limit, cursor, cancellationToken);

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteTopicAsync(name, cancellationToken);
        await cache.InvalidateAsync(TopicKey(name), cancellationToken);
        await cache.InvalidateAsync(SubscribersKey(name), cancellationToken);
        return deleted;
    }

    public async Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken)
    {
        var result = await store.SubscribeAsync(candidate, cancellationToken);
        await cache.InvalidateAsync(SubscribersKey(candidate.Topic), cancellationToken);
        return result;
    }

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        store.GetSubscriptionAsync(id, cancellationToken);

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ListSubscriptionsAsync(topic, limit, cursor, cancellationToken);

    public async Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(string topic, CancellationToken cancellationToken)
    {
        var key = SubscribersKey(topic);
        var cached = await cache.TryGetAsync<IReadOnlyList<Subscription>>(key, cancellationToken);
        if (cached.Found)
        {
            return cached.Value;
        }

        var subscribers = await store.GetConfirmedSubscriptionsAsync(topic, cancellationToken);
        await cache.RefillAsync(key, subscribers, cached.Ticket, cancellationToken);
        return subscribers;
    }

    public async Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var confirmed = await store.ConfirmSubscriptionAsync(id, now, cancellationToken);
        if (confirmed is not null)
        {
            await cache.InvalidateAsync(SubscribersKey(confirmed.Topic), cancellationToken);
        }

        return confirmed;
    }

    public async Task<Subscription?> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteSubscriptionAsync(id, cancellationToken);
        if (deleted is not null)
        {
            await cache.InvalidateAsync(SubscribersKey(deleted.Topic), cancellationToken);
        }

        return deleted;
    }

    public async Task<Subscription?> RecordDeliveryErrorAsync(string id, DeliveryError error, CancellationToken cancellationToken)
    {
        var updated = await store.RecordDeliveryErrorAsync(id, error, cancellationToken);
        if (updated is not null)
        {
            // The cached fan-out list holds each subscription whole, its delivery error included.
            await cache.InvalidateAsync(SubscribersKey(updated.Topic), cancellationToken);
        }

        return updated;
    }

    // Opt-outs are never cached, so no process sends to a number after its STOP was stored (nor stays
    // silent after a START) for as long as a cached entry would live. They are read once per message that
    // has SMS subscribers, one batch for all of them, which the store can bear uncached.
    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.SetSmsOptOutAsync(phoneNumber, optedOut, now, cancellationToken);

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken) =>
        store.GetSmsOptedOutAsync(phoneNumbers, cancellationToken);
}
