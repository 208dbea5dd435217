using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Metadata.Cache;

/// <summary>
/// The metadata service's read path: topics and subscriber lists come from the cache when present and
/// from the store otherwise (cache-aside). Every write goes to the store first, then invalidates the
/// keys it changed, so this process never serves its own stale write.
/// </summary>
/// <remarks>
/// Expired pending subscriptions are never served from here: the cache holds topics and fan-out lists,
/// which hold confirmed subscriptions only, and those never expire; every read that may meet a pending
/// subscription goes to the store, which applies the expiry rule with its clock. Listings, tombstones and
/// opt-outs are not cached either.
/// </remarks>
internal sealed class CachedMetadataStore(IMetadataStore store, IMetadataCache cache) : IMetadataStore
{
    internal static string TopicKey(string topic) => "topic:" + topic;

    internal static string SubscribersKey(string topic) => "subscribers:" + topic;

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        CreateTopicAsync(new Topic(name, now), cancellationToken);

    public async Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken)
    {
        var result = await store.CreateTopicAsync(topic, cancellationToken);
        await cache.InvalidateAsync(TopicKey(topic.Name), cancellationToken);
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

    public async Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken)
    {
        var updated = await store.UpdateTopicAsync(name, settings, cancellationToken);
        if (updated is not null)
        {
            await cache.InvalidateAsync(TopicKey(name), cancellationToken);
        }

        return updated;
    }

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

    public Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        store.ListAllSubscriptionsAsync(query, limit, cursor, cancellationToken);

    /// <summary>
    /// The first page of a topic (no bounds) is cached: it is read for every message published to the topic,
    /// and for most topics it is the whole list. Later pages and bounded ranges, read once per message of a
    /// large topic's fan-out, go to the store: the cache never holds a large topic whole.
    /// </summary>
    public async Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken)
    {
        if (after is not null || through is not null)
        {
            return await store.GetSubscriberPageAsync(topic, after, through, limit, cancellationToken);
        }

        var key = SubscribersKey(topic);
        var cached = await cache.TryGetAsync<SubscriberPage>(key, cancellationToken);
        if (cached.Found && cached.Value.Limit == limit)
        {
            return cached.Value;
        }

        // A page cut at another limit (a Sender with another FanOutPageSize) is read again and replaces it.
        var page = await store.GetSubscriberPageAsync(topic, null, null, limit, cancellationToken);
        await cache.RefillAsync(key, page, cached.Ticket, cancellationToken);
        return page;
    }

    public async Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.ConfirmSubscriptionAsync(id, now, cancellationToken), cancellationToken);

    // The cached first page holds each subscription whole, its settings and delivery error included.
    public async Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.UpdateSubscriptionAsync(id, settings, cancellationToken), cancellationToken);

    public async Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.SetDisabledAsync(id, reason, cancellationToken), cancellationToken);

    public async Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.SetDeliveryErrorAsync(id, error, cancellationToken), cancellationToken);

    // The cached fan-out list carries the secrets the Sender signs with.
    public async Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.SetSigningSecretsAsync(id, secrets, cancellationToken), cancellationToken);

    public async Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        await InvalidatingSubscribersAsync(await store.DeleteSubscriptionAsync(id, now, cancellationToken), cancellationToken);

    public Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        store.GetDeletedSubscriptionAsync(id, cancellationToken);

    // What expires is never cached: pending subscriptions are in no fan-out list, tombstones in no key.
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(now, cancellationToken);

    // Opt-outs are never cached, so no process sends to a number after its STOP was stored (nor stays
    // silent after a START) for as long as a cached entry would live. They are read once per message that
    // has SMS subscribers, one batch for all of them, which the store can bear uncached.
    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.SetSmsOptOutAsync(phoneNumber, optedOut, now, cancellationToken);

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken) =>
        store.GetSmsOptedOutAsync(phoneNumbers, cancellationToken);

    /// <summary>Invalidates the fan-out list of <paramref name="changed"/>'s topic, when a write changed a subscription.</summary>
    private async Task<Subscription?> InvalidatingSubscribersAsync(Subscription? changed, CancellationToken cancellationToken)
    {
        if (changed is not null)
        {
            await cache.InvalidateAsync(SubscribersKey(changed.Topic), cancellationToken);
        }

        return changed;
    }
}
