using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Shared.Redis;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;
using Notify.TestServers;
using StackExchange.Redis;

namespace Notify.Tests.Metadata;

/// <summary>The ring cache against three real Redis nodes, including nodes that die, stall and come back.</summary>
public sealed class RedisRingCacheTests(RedisRing ring) : IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    // Only a guard against a hang: a miss on a dead node is bounded by the 500 ms / 250 ms timeouts.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static readonly Topic Orders = new("orders", DateTimeOffset.UnixEpoch);

    private readonly FakeLogCollector _logs = new();
    private RedisNodePool _pool = null!;
    private RedisRingCache _cache = null!;

    public async Task InitializeAsync()
    {
        await DirectRedis.FlushAsync(ring);
        _pool = DirectRedis.Pool(ring, new FakeLogger<RedisNodePool>(_logs));
        _cache = new RedisRingCache(_pool, Options.Create(DirectRedis.Settings(ring)), new FakeLogger<RedisRingCache>(_logs));

        // A first connect that outlasts the 500 ms connect timeout on a loaded machine marks a live node
        // down, and a write to it is then skipped (a miss, by design); the tests start once all are up.
        await DirectRedis.UntilAsync(() => _pool.Nodes.All(n => n.State == NodeState.Up), "the pool's connections to every node");
    }

    public Task DisposeAsync() => DirectRedis.RestartKilledAsync(ring);

    public void Dispose()
    {
        _pool.Dispose();
    }

    [Fact]
    public async Task Topic_RoundTrips()
    {
        var topic = new Topic("orders", new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1234567));

        await _cache.FillAsync("topic:orders", topic);
        var (found, cached) = await _cache.TryGetAsync<Topic>("topic:orders", default);

        Assert.True(found);
        Assert.Equal(topic, cached);
        Assert.Equal(topic.CreatedAt.Offset, cached!.CreatedAt.Offset);
    }

    [Fact]
    public async Task SubscriberList_RoundTrips_WithEnumsAsTheirNames()
    {
        IReadOnlyList<Subscription> subscribers = [Subscriber("a", SubscriptionStatus.Confirmed, Protocol.Webhook), Subscriber("b", SubscriptionStatus.Pending, Protocol.Sms)];

        await _cache.FillAsync("subscribers:orders", subscribers);
        var (found, cached) = await _cache.TryGetAsync<IReadOnlyList<Subscription>>("subscribers:orders", default);

        Assert.True(found);
        Assert.Equal(subscribers, cached);
        var stored = await DirectRedis.OnNodeAsync(_pool.Owner("subscribers:orders").Name, db => db.StringGetAsync("subscribers:orders"));
        var json = Encoding.UTF8.GetString((byte[])stored!);
        Assert.Contains("\"webhook\"", json);
        Assert.Contains("\"confirmed\"", json);
    }

    [Fact]
    public async Task SubscriberList_RoundTrips_WithItsDeliveryErrors()
    {
        var error = new DeliveryError("21610", "Attempt to send to unsubscribed recipient", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddMilliseconds(678));
        IReadOnlyList<Subscription> subscribers =
        [
            Subscriber("a", SubscriptionStatus.Confirmed, Protocol.Sms) with { LastDeliveryError = error },
            Subscriber("b", SubscriptionStatus.Confirmed, Protocol.Webhook),
        ];

        await _cache.FillAsync("subscribers:alerts", subscribers);
        var (found, cached) = await _cache.TryGetAsync<IReadOnlyList<Subscription>>("subscribers:alerts", default);

        Assert.True(found);
        Assert.Equal(subscribers, cached);
        Assert.Equal(error.At.Offset, cached![0].LastDeliveryError!.At.Offset);
    }

    [Fact]
    public async Task SubscriberList_RoundTrips_WithDeliveryPoliciesAndDisabledReasons()
    {
        var gone = new DeliveryError("http:410", "Gone", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        IReadOnlyList<Subscription> subscribers =
        [
            Subscriber("a", SubscriptionStatus.Confirmed, Protocol.Webhook) with { DeliveryPolicy = new DeliveryPolicy([0, 5, 86_400], 0.25) },
            Subscriber("b", SubscriptionStatus.Confirmed, Protocol.Webhook) with { DeliveryPolicy = new DeliveryPolicy([], null) },
            Subscriber("c", SubscriptionStatus.Disabled, Protocol.Sms) with { DisabledReason = gone },
        ];

        await _cache.FillAsync("subscribers:paced", subscribers);
        var (found, cached) = await _cache.TryGetAsync<IReadOnlyList<Subscription>>("subscribers:paced", default);

        Assert.True(found);
        Assert.Equal(subscribers, cached);
        Assert.Equal(SubscriptionStatus.Disabled, cached![2].Status);
    }

    /// <summary>An entry written before subscriptions had delivery errors (a rolling upgrade) still reads.</summary>
    [Fact]
    public async Task SubscriberList_WrittenWithoutDeliveryErrors_ReadsAsHavingNone()
    {
        IReadOnlyList<Subscription> subscribers = [Subscriber("a", SubscriptionStatus.Confirmed, Protocol.Sms)];
        await _cache.FillAsync("subscribers:old", subscribers);
        var owner = _pool.Owner("subscribers:old").Name;
        var json = Encoding.UTF8.GetString((byte[])(await DirectRedis.OnNodeAsync(owner, db => db.StringGetAsync("subscribers:old")))!);
        var withoutErrors = json.Replace(",\"LastDeliveryError\":null", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("LastDeliveryError", withoutErrors);
        await DirectRedis.OnNodeAsync(owner, db => db.StringSetAsync("subscribers:old", withoutErrors));

        var (found, cached) = await _cache.TryGetAsync<IReadOnlyList<Subscription>>("subscribers:old", default);

        Assert.True(found);
        Assert.Equal(subscribers, cached);
    }

    [Fact]
    public async Task Entry_LivesOnExactlyItsOwningNode_WithTheTtl_AndInvalidateRemovesIt()
    {
        var independent = new HashRing<string>(ring.Nodes.Select(n => n.EndPoint), static name => name, 160);
        // Enough keys that each of the three nodes owns some whatever ports the nodes got (the ring hashes
        // their addresses): with 12, one node owned none in about 1 run in 40.
        var keys = Enumerable.Range(0, 60).Select(i => $"topic:t{i}").ToArray();
        foreach (var key in keys)
        {
            await _cache.FillAsync(key, new Topic(key, DateTimeOffset.UnixEpoch));
        }

        Assert.Equal(3, keys.Select(key => _pool.Owner(key).Name).Distinct().Count());
        foreach (var key in keys)
        {
            var owner = _pool.Owner(key).Name;
            Assert.Equal(independent.Owner(key), owner);
            Assert.Equal([owner], await DirectRedis.NodesHoldingAsync(ring, key));
            var ttl = await DirectRedis.OnNodeAsync(owner, db => db.KeyTimeToLiveAsync(key));
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }

        foreach (var key in keys)
        {
            await _cache.InvalidateAsync(key, default);
            Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, key));
            Assert.False((await _cache.TryGetAsync<Topic>(key, default)).Found);
        }
    }

    [Fact]
    public async Task Refill_WithNoInvalidationSinceTheMiss_StoresTheValue()
    {
        var miss = await _cache.TryGetAsync<Topic>("topic:orders", default);
        Assert.False(miss.Found);

        await _cache.RefillAsync("topic:orders", Orders, miss.Ticket, default);

        Assert.Equal(Orders, (await _cache.TryGetAsync<Topic>("topic:orders", default)).Value);
        Assert.Equal([_pool.Owner("topic:orders").Name], await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
    }

    /// <summary>
    /// The refill race: a reader misses and reads the database, a writer changes the database and
    /// invalidates the key, and then the reader's refill arrives with the value from before the write.
    /// </summary>
    [Fact]
    public async Task Refill_AfterAnInvalidationSinceTheMiss_StoresNothing()
    {
        var miss = await _cache.TryGetAsync<Topic>("topic:orders", default);

        await _cache.InvalidateAsync("topic:orders", default);
        await _cache.RefillAsync("topic:orders", Orders, miss.Ticket, default);

        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);
        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
    }

    [Fact]
    public async Task Refill_WithTheTicketOfAMissBeforeTheLastInvalidation_StoresNothing_WithTheNewerOne_Stores()
    {
        var before = await _cache.TryGetAsync<Topic>("topic:orders", default);
        await _cache.InvalidateAsync("topic:orders", default);
        var after = await _cache.TryGetAsync<Topic>("topic:orders", default);
        var current = Orders with { Name = "current" };

        await _cache.RefillAsync("topic:orders", Orders, before.Ticket, default);
        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);

        await _cache.RefillAsync("topic:orders", current, after.Ticket, default);
        Assert.Equal(current, (await _cache.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    /// <summary>
    /// A node emptied between a miss and its refill (flushed on re-admission, restarted) has forgotten the
    /// invalidations before that, so it must not take the refill, even once a later miss marked the key anew.
    /// </summary>
    [Fact]
    public async Task Refill_AfterTheNodeLostItsDataSinceTheMiss_StoresNothing()
    {
        var miss = await _cache.TryGetAsync<Topic>("topic:orders", default);
        await DirectRedis.FlushAsync(ring);
        var later = await _cache.TryGetAsync<Topic>("topic:orders", default);

        await _cache.RefillAsync("topic:orders", Orders, miss.Ticket, default);

        Assert.False(later.Found);
        Assert.False((await _cache.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    [Fact]
    public async Task ReadersMissingTogether_MayAllRefill()
    {
        var first = await _cache.TryGetAsync<Topic>("topic:orders", default);
        var second = await _cache.TryGetAsync<Topic>("topic:orders", default);

        await _cache.RefillAsync("topic:orders", Orders, first.Ticket, default);
        await _cache.RefillAsync("topic:orders", Orders, second.Ticket, default);

        Assert.Equal(Orders, (await _cache.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    /// <summary>Whatever a miss leaves on the node to check a refill against expires, so misses do not pile up keys.</summary>
    [Fact]
    public async Task Miss_LeavesNothingOnTheNodeThatOutlivesTheTtl()
    {
        await _cache.TryGetAsync<Topic>("topic:orders", default);

        var expiries = await DirectRedis.OnNodeAsync(_pool.Owner("topic:orders").Name, async db =>
        {
            var keys = (RedisResult[])(await db.ExecuteAsync("KEYS", "*"))!;
            return await Task.WhenAll(keys.Select(key => db.KeyTimeToLiveAsync((string)key!)));
        });
        Assert.All(expiries, ttl => Assert.InRange(Assert.NotNull(ttl), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task KilledNode_ReadsMissAndWritesDoNotThrow_WhileOtherNodesStillHit()
    {
        var victim = ring.Nodes[0];
        var onVictim = DirectRedis.KeyOn(_pool, victim.EndPoint, "subscribers:v");
        var elsewhere = ring.Nodes.Skip(1).Select(node => DirectRedis.KeyOn(_pool, node.EndPoint, "subscribers:e")).ToArray();
        IReadOnlyList<Subscription> secret = [Subscriber("s", SubscriptionStatus.Confirmed, Protocol.Webhook)];
        foreach (var key in elsewhere.Append(onVictim))
        {
            await _cache.FillAsync(key, secret);
        }

        victim.Kill();

        var clock = Stopwatch.StartNew();
        var (found, _) = await _cache.TryGetAsync<IReadOnlyList<Subscription>>(onVictim, default).AsTask().WaitAsync(HangGuard);
        Assert.False(found);
        Assert.False((await _cache.TryGetAsync<IReadOnlyList<Subscription>>(onVictim, default).AsTask().WaitAsync(HangGuard)).Found);
        await _cache.FillAsync(onVictim, secret).WaitAsync(HangGuard);
        await _cache.InvalidateAsync(onVictim, default).AsTask().WaitAsync(HangGuard);
        clock.Stop();

        foreach (var key in elsewhere)
        {
            Assert.True((await _cache.TryGetAsync<IReadOnlyList<Subscription>>(key, default)).Found);
        }

        Assert.Equal(NodeState.Down, _pool.Owner(onVictim).State);
        var warning = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "RedisNodeDown");
        Assert.Contains(victim.EndPoint, warning.Message);
        Assert.DoesNotContain("hooks.example", _logs.AllText);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, HangGuard);
    }

    [Fact]
    public async Task RestartedNode_IsProbedBackUp_AndUsedAgain()
    {
        var victim = ring.Nodes[1];
        var key = DirectRedis.KeyOn(_pool, victim.EndPoint, "topic:r");
        var node = _pool.Owner(key);
        Assert.True((await node.RunAsync(0, static (db, _) => db.PingAsync(), default)).Succeeded);

        victim.Kill();
        Assert.False((await _cache.TryGetAsync<Topic>(key, default)).Found);
        Assert.Equal(NodeState.Down, node.State);

        await victim.StartAsync();
        await DirectRedis.UntilAsync(() => node.State == NodeState.Up, $"{victim.EndPoint} re-admitted");

        await _cache.FillAsync(key, new Topic("r", DateTimeOffset.UnixEpoch));
        Assert.True((await _cache.TryGetAsync<Topic>(key, default)).Found);
        Assert.Equal([victim.EndPoint], await DirectRedis.NodesHoldingAsync(ring, key));
        Assert.Contains(_logs.GetSnapshot(), e => e.Id.Name == "RedisNodeUp" && e.Message.Contains(victim.EndPoint));
    }

    [Fact]
    public async Task NodeThatOnlyLookedDown_IsFlushedBeforeReuse_SoAnInvalidationItMissedCannotServeStaleData()
    {
        // The production timeouts: the 1 s stall below must outlast a command's 250 ms.
        using var pool = DirectRedis.Pool(ring, new FakeLogger<RedisNodePool>(_logs), DirectRedis.ProductionTimeouts(ring));
        var cache = new RedisRingCache(pool, Options.Create(DirectRedis.ProductionTimeouts(ring)), new FakeLogger<RedisRingCache>(_logs));
        await DirectRedis.UntilAsync(() => pool.Nodes.All(n => n.State == NodeState.Up), "the pool's connections to every node");
        var stalled = ring.Nodes[2];
        var key = DirectRedis.KeyOn(pool, stalled.EndPoint, "topic:stale");
        var other = DirectRedis.KeyOn(pool, stalled.EndPoint, "topic:other");
        var node = pool.Owner(key);
        await _cache.FillAsync(key, new Topic("before", DateTimeOffset.UnixEpoch));
        Assert.Equal([stalled.EndPoint], await DirectRedis.NodesHoldingAsync(ring, key));

        // The node stalls but keeps its data: a read times out and marks it down, so the invalidation
        // that follows a write to the database cannot reach it.
        await DirectRedis.PauseAsync(stalled.EndPoint, TimeSpan.FromSeconds(1));
        Assert.False((await cache.TryGetAsync<Topic>(other, default)).Found);
        Assert.Equal(NodeState.Down, node.State);
        await cache.InvalidateAsync(key, default);

        await DirectRedis.UntilAsync(() => node.State == NodeState.Up, $"{stalled.EndPoint} re-admitted");

        Assert.False((await cache.TryGetAsync<Topic>(key, default)).Found);
        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, key));
        Assert.Contains(_logs.GetSnapshot(), e => e.Id.Name == "RedisNodeUp" && e.Message.Contains("flushed first: True"));
    }

    [Fact]
    public async Task UnreadableEntry_IsAMiss_AndTheRefillReplacesIt()
    {
        await DirectRedis.OnNodeAsync(_pool.Owner("topic:garbled").Name, db => db.StringSetAsync("topic:garbled", "{not json"));

        var miss = await _cache.TryGetAsync<Topic>("topic:garbled", default);
        Assert.False(miss.Found);
        Assert.Contains(_logs.GetSnapshot(), e => e.Id.Name == "CacheEntryUnreadable");

        // The value then read from the database replaces it.
        await _cache.RefillAsync("topic:garbled", Orders, miss.Ticket, default);
        Assert.Equal(Orders, (await _cache.TryGetAsync<Topic>("topic:garbled", default)).Value);
    }

    [Fact]
    public async Task NodeUnreachableFromTheStart_IsAMiss_NotAnError()
    {
        var nowhere = $"127.0.0.1:{FreePort.Next()}";
        using var pool = new RedisNodePool(Options.Create(new RedisOptions { Nodes = nowhere }), TimeProvider.System, new FakeLogger<RedisNodePool>(_logs));
        var cache = new RedisRingCache(pool, Options.Create(new RedisOptions { Nodes = nowhere }), new FakeLogger<RedisRingCache>(_logs));

        await cache.FillAsync("topic:x", new Topic("x", DateTimeOffset.UnixEpoch)).WaitAsync(HangGuard);
        await cache.InvalidateAsync("topic:x", default).AsTask().WaitAsync(HangGuard);
        Assert.False((await cache.TryGetAsync<Topic>("topic:x", default).AsTask().WaitAsync(HangGuard)).Found);
    }

    private static Subscription Subscriber(string id, SubscriptionStatus status, Protocol protocol) => new()
    {
        Id = id,
        Topic = "orders",
        Protocol = protocol,
        Endpoint = protocol == Protocol.Sms ? "+15551234567" : $"https://hooks.example/{id}",
        Status = status,
        CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)),
        ConfirmedAt = status == SubscriptionStatus.Confirmed ? new DateTimeOffset(2026, 1, 2, 3, 5, 0, TimeSpan.Zero) : null,
    };
}
