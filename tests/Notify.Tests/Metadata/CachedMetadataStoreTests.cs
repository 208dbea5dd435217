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
}
