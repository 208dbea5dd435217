using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Redis;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Metadata;

/// <summary>
/// The Aws-mode read path over the real ring, with SQLite standing in for DynamoDB: a Frontend that writes
/// and a standalone Sender that reads subscriber lists through the ring alone, and a reader that fetched a
/// list just before an unsubscribe.
/// </summary>
public sealed class CachedMetadataStoreOnRingTests(RedisRing ring) : IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    // Only a guard against a hang if the held read never gets there.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();
    private SqliteMetadataStore _database = null!;
    private RedisNodePool _pool = null!;
    private InProcessMetadataCache _frontendLocal = null!;
    private CachedMetadataStore _frontend = null!;
    private PausingMetadataStore _senderDatabase = null!;
    private CachedMetadataStore _sender = null!;

    public async Task InitializeAsync()
    {
        await DirectRedis.FlushAsync(ring);
        _database = new SqliteMetadataStore(_directory.File("metadata.db"), _clock);
        _pool = DirectRedis.Pool(ring);
        var ringCache = new RedisRingCache(_pool, Options.Create(DirectRedis.Settings(ring)), NullLogger<RedisRingCache>.Instance);
        _frontendLocal = new InProcessMetadataCache(Options.Create(new MetadataCacheOptions { Ttl = TimeSpan.FromSeconds(10) }), _clock);
        _frontend = new CachedMetadataStore(_database, new TieredMetadataCache(_frontendLocal, ringCache));
        _senderDatabase = new PausingMetadataStore(_database);
        _sender = new CachedMetadataStore(_senderDatabase, ringCache);

        // A first connect that outlasts the connect timeout on a loaded machine marks a live node down and
        // the refills to it are skipped (a miss, by design); the tests start once all are up.
        await DirectRedis.UntilAsync(() => _pool.Nodes.All(n => n.State == NodeState.Up), "the pool's connections to every node");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _frontendLocal.Dispose();
        _pool.Dispose();
        _directory.Dispose();
    }

    /// <summary>
    /// The race the ring used to lose: the Sender misses and reads the list with the subscriber in it, the
    /// Frontend stores the unsubscribe and invalidates the list, and then the Sender's refill arrives. The
    /// Sender's next fan-out must not reach the subscriber who left.
    /// </summary>
    [Fact]
    public async Task ListFetchedBeforeAnUnsubscribe_IsNotPutBackOnTheRingAfterItsInvalidation()
    {
        var subscription = await ConfirmedSubscriberAsync("orders", "https://hooks.example/a");

        var pause = _senderDatabase.PauseNextRead();
        var fanOut = _sender.GetConfirmedSubscriptionsAsync("orders", default);
        await pause.Fetched.WaitAsync(HangGuard);
        await _frontend.DeleteSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default);
        pause.Release();

        Assert.Single(await fanOut.WaitAsync(HangGuard));
        Assert.Empty(await _sender.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Empty(await _frontend.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task ListFetchedWithNoWriteMeanwhile_IsPutOnTheRing_AndServedFromIt()
    {
        await ConfirmedSubscriberAsync("orders", "https://hooks.example/a");

        Assert.Single(await _sender.GetConfirmedSubscriptionsAsync("orders", default));

        Assert.Equal([_pool.Owner(CachedMetadataStore.SubscribersKey("orders")).Name], await DirectRedis.NodesHoldingAsync(ring, CachedMetadataStore.SubscribersKey("orders")));
        var pause = _senderDatabase.PauseNextRead();
        Assert.Single(await _sender.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.False(pause.Fetched.IsCompleted);
    }

    /// <summary>What the ring holds is JSON: a topic's display name and a subscription's filter policy survive it.</summary>
    [Fact]
    public async Task TopicAndFanOutList_ServedFromTheRing_KeepTheirSettings()
    {
        var subscription = await ConfirmedSubscriberAsync("orders", "https://hooks.example/a");
        await _frontend.UpdateTopicAsync("orders", new TopicSettings("Orders"), default);
        var filtered = (await _frontend.UpdateSubscriptionAsync(subscription.Id, new SubscriptionSettings("""{"kind":["refund"]}"""), default))!;
        var topic = await _sender.GetTopicAsync("orders", default);
        Assert.Equal([filtered], await _sender.GetConfirmedSubscriptionsAsync("orders", default));

        var pause = _senderDatabase.PauseNextRead();

        Assert.Equal(topic, await _sender.GetTopicAsync("orders", default));
        Assert.Equal("Orders", topic!.DisplayName);
        Assert.Equal([filtered], await _sender.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.False(pause.Fetched.IsCompleted);
    }

    /// <summary>A standalone Sender signs with what the ring serves: the JSON there carries both secrets of a rotation.</summary>
    [Fact]
    public async Task FanOutList_ServedFromTheRing_KeepsTheSigningSecrets()
    {
        var subscription = await ConfirmedSubscriberAsync("orders", "https://hooks.example/a");
        var secrets = new SigningSecrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2Vjb25kLXNlY3JldA==", DateTimeOffset.UnixEpoch.AddDays(1));
        var rotated = (await _frontend.SetSigningSecretsAsync(subscription.Id, secrets, default))!;
        Assert.Equal([rotated], await _sender.GetConfirmedSubscriptionsAsync("orders", default));

        var pause = _senderDatabase.PauseNextRead();

        Assert.Equal(secrets, Assert.Single(await _sender.GetConfirmedSubscriptionsAsync("orders", default)).SigningSecrets);
        Assert.False(pause.Fetched.IsCompleted);
    }

    private async Task<Subscription> ConfirmedSubscriberAsync(string topic, string endpoint)
    {
        await _frontend.CreateTopicAsync(topic, DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _frontend.SubscribeAsync(new Subscription
        {
            Id = Notify.Shared.Ids.SortableId.New(TimeProvider.System),
            Topic = topic,
            Protocol = Protocol.Webhook,
            Endpoint = endpoint,
            Status = SubscriptionStatus.Pending,
            CreatedAt = DateTimeOffset.UnixEpoch,
        }, default);
        return (await _frontend.ConfirmSubscriptionAsync(subscription.Id, DateTimeOffset.UnixEpoch, default))!;
    }
}
