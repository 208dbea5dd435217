using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>The contract holds through the cache, and the cache never serves this process's stale writes.</summary>
public sealed class CachedMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    // Only a guard against a hang if the paused read never gets there.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new();
    private readonly SqliteMetadataStore _inner;
    private readonly InProcessMetadataCache _cache;
    private readonly CachedMetadataStore _store;

    public CachedMetadataStoreTests()
    {
        _inner = new SqliteMetadataStore(_directory.File("metadata.db"), Clock);
        _cache = new InProcessMetadataCache(Options.Create(new MetadataCacheOptions { Ttl = TimeSpan.FromSeconds(10) }), Clock);
        _store = new CachedMetadataStore(_inner, _cache);
    }

    protected override IMetadataStore Store => _store;

    [Fact]
    public async Task GetTopic_IsServedFromCache_UntilTtlExpires()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        Assert.NotNull(await _store.GetTopicAsync("orders", default));

        // Deleted behind the cache's back, as another process would.
        await _inner.DeleteTopicAsync("orders", default);
        Assert.NotNull(await _store.GetTopicAsync("orders", default));

        Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(await _store.GetTopicAsync("orders", default));
    }

    /// <summary>
    /// Only a topic's first page is cached, at the limit it was read with: the later pages and the ranges of a
    /// large topic's fan-out are read from the store each time, so the cache never holds a large topic whole.
    /// </summary>
    [Fact]
    public async Task SubscriberPages_OnlyTheFirstIsCached_AtItsLimit()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", $"https://hooks.example/{i}"), default);
            await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
            ids.Add(subscription.Id);
        }

        var first = await _store.GetSubscriberPageAsync("orders", null, null, 2, default);
        await _store.GetSubscriberPageAsync("orders", first.ContinueAfter, null, 2, default);
        await _store.GetSubscriberPageAsync("orders", null, ids[1], int.MaxValue, default);

        // Removed behind the cache's back, as another process would: only the first page still shows it.
        await _inner.DeleteSubscriptionAsync(ids[0], DateTimeOffset.UnixEpoch, default);
        await _inner.DeleteSubscriptionAsync(ids[2], DateTimeOffset.UnixEpoch, default);

        Assert.Equal(ids[..2], (await _store.GetSubscriberPageAsync("orders", null, null, 2, default)).Subscribers.Select(s => s.Id));
        Assert.Empty((await _store.GetSubscriberPageAsync("orders", ids[1], null, 2, default)).Subscribers);
        Assert.Equal([ids[1]], (await _store.GetSubscriberPageAsync("orders", null, ids[1], int.MaxValue, default)).Subscribers.Select(s => s.Id));
        Assert.Equal([ids[1]], (await _store.GetSubscriberPageAsync("orders", null, null, 5, default)).Subscribers.Select(s => s.Id));
    }

    [Fact]
    public async Task Confirm_InvalidatesSubscriberList()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.Empty(await _store.GetConfirmedSubscriptionsAsync("orders", default));

        await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);

        Assert.Single(await _store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task DeleteSubscription_InvalidatesSubscriberList()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        Assert.Single(await _store.GetConfirmedSubscriptionsAsync("orders", default));

        await _store.DeleteSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);

        Assert.Empty(await _store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task DeleteTopic_InvalidatesTopicAndSubscribers()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        Assert.NotNull(await _store.GetTopicAsync("orders", default));
        Assert.Single(await _store.GetConfirmedSubscriptionsAsync("orders", default));

        await _store.DeleteTopicAsync("orders", default);

        Assert.Null(await _store.GetTopicAsync("orders", default));
        Assert.Empty(await _store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task SetDeliveryError_InvalidatesSubscriberList()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "+15551230001", Protocol.Sms), default);
        await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        Assert.Null(Assert.Single(await _store.GetConfirmedSubscriptionsAsync("orders", default)).LastDeliveryError);
        var error = new DeliveryError("21610", "Unsubscribed recipient", DateTimeOffset.UnixEpoch);

        await _store.SetDeliveryErrorAsync(subscription.Id, error, default);

        Assert.Equal(error, Assert.Single(await _store.GetConfirmedSubscriptionsAsync("orders", default)).LastDeliveryError);
    }

    [Fact]
    public async Task UpdateTopic_InvalidatesTheTopic()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        Assert.Null((await _store.GetTopicAsync("orders", default))!.DisplayName);

        await _store.UpdateTopicAsync("orders", new TopicSettings("Orders"), default);

        Assert.Equal("Orders", (await _store.GetTopicAsync("orders", default))!.DisplayName);
    }

    /// <summary>Each write invalidates the keys whose cached values it changed, and no others.</summary>
    [Fact]
    public async Task Writes_InvalidateExactlyTheKeysTheyChange()
    {
        var recording = new RecordingCache(_cache);
        var store = new CachedMetadataStore(_inner, recording);
        await store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddHours(1)), default);
        var (expiring, _) = await store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b", expiresAt: Now.AddHours(1)), default);
        await store.ConfirmSubscriptionAsync(subscription.Id, Now, default);
        var topic = CachedMetadataStore.TopicKey("orders");
        var subscribers = CachedMetadataStore.SubscribersKey("orders");

        Assert.Equal([topic], await recording.InvalidatedByAsync(() => store.UpdateTopicAsync("orders", new TopicSettings("Orders"), default)));
        Assert.Empty(await recording.InvalidatedByAsync(() => store.UpdateTopicAsync("missing", new TopicSettings("Missing"), default)));
        Assert.Equal([subscribers], await recording.InvalidatedByAsync(() => store.UpdateSubscriptionAsync(subscription.Id, new SubscriptionSettings("{}"), default)));
        Assert.Equal([subscribers], await recording.InvalidatedByAsync(() => store.SetDeliveryErrorAsync(subscription.Id, null, default)));
        Assert.Empty(await recording.InvalidatedByAsync(() => store.SetDeliveryErrorAsync("missing", null, default)));
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await recording.InvalidatedByAsync(() => store.DeleteExpiredAsync(Clock.GetUtcNow(), default)));
        Assert.Empty(await recording.InvalidatedByAsync(() => store.UpdateSubscriptionAsync(expiring.Id, new SubscriptionSettings("{}"), default)));
        Assert.Equal([subscribers], await recording.InvalidatedByAsync(() => store.DeleteSubscriptionAsync(subscription.Id, Now, default)));
        Assert.Empty(await recording.InvalidatedByAsync(() => store.DeleteSubscriptionAsync(subscription.Id, Now, default)));
    }

    /// <summary>
    /// The refill race in one process: a read fetches the list while the subscriber is still there, the
    /// unsubscribe is stored and invalidates the list, and only then does the read refill the cache.
    /// </summary>
    [Fact]
    public async Task ListReadBeforeAnUnsubscribe_RefilledAfterItsInvalidation_IsNotServedAfterwards()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await _store.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        var pausing = new PausingMetadataStore(_inner);
        var reader = new CachedMetadataStore(pausing, _cache);

        var pause = pausing.PauseNextRead();
        var read = reader.GetConfirmedSubscriptionsAsync("orders", default);
        await pause.Fetched.WaitAsync(HangGuard);
        await _store.DeleteSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        pause.Release();

        Assert.Single(await read.WaitAsync(HangGuard));
        Assert.Empty(await _store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task TopicReadBeforeItsDeletion_RefilledAfterItsInvalidation_IsNotServedAfterwards()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var pausing = new PausingMetadataStore(_inner);
        var reader = new CachedMetadataStore(pausing, _cache);

        var pause = pausing.PauseNextRead();
        var read = reader.GetTopicAsync("orders", default);
        await pause.Fetched.WaitAsync(HangGuard);
        await _store.DeleteTopicAsync("orders", default);
        pause.Release();

        Assert.NotNull(await read.WaitAsync(HangGuard));
        Assert.Null(await _store.GetTopicAsync("orders", default));
    }

    /// <summary>A STOP stored by another process counts at once, not when a cache entry would expire.</summary>
    [Fact]
    public async Task SmsOptOuts_AreReadFromTheStoreEveryTime()
    {
        Assert.Empty(await _store.GetSmsOptedOutAsync(["+15551230001"], default));

        await _inner.SetSmsOptOutAsync("+15551230001", optedOut: true, DateTimeOffset.UnixEpoch, default);
        Assert.Equal(["+15551230001"], await _store.GetSmsOptedOutAsync(["+15551230001"], default));

        await _inner.SetSmsOptOutAsync("+15551230001", optedOut: false, DateTimeOffset.UnixEpoch, default);
        Assert.Empty(await _store.GetSmsOptedOutAsync(["+15551230001"], default));
    }

    public void Dispose()
    {
        _cache.Dispose();
        _directory.Dispose();
    }

    /// <summary>A cache that notes the keys invalidated through it.</summary>
    private sealed class RecordingCache(IMetadataCache inner) : IMetadataCache
    {
        private readonly List<string> _invalidated = [];

        /// <summary>The keys <paramref name="write"/> invalidated.</summary>
        public async Task<List<string>> InvalidatedByAsync(Func<Task> write)
        {
            _invalidated.Clear();
            await write();
            return [.. _invalidated];
        }

        public ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
            inner.TryGetAsync<T>(key, cancellationToken);

        public ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class =>
            inner.RefillAsync(key, value, ticket, cancellationToken);

        public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
        {
            _invalidated.Add(key);
            return inner.InvalidateAsync(key, cancellationToken);
        }
    }
}
