using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Shared.Redis;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Metadata;

/// <summary>
/// The Frontend's cache: its in-process tier in front of the real ring. Two "processes" (A and B) share
/// the ring, each with its own local tier and clock.
/// </summary>
public sealed class TieredMetadataCacheTests(RedisRing ring) : IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    private static readonly Topic Orders = new("orders", DateTimeOffset.UnixEpoch);

    // Only a guard against a hang if the held read never gets there.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clockA = new();
    private RedisNodePool _pool = null!;
    private RedisRingCache _shared = null!;
    private InProcessMetadataCache _localA = null!;
    private InProcessMetadataCache _localB = null!;
    private TieredMetadataCache _a = null!;
    private TieredMetadataCache _b = null!;

    public async Task InitializeAsync()
    {
        await DirectRedis.FlushAsync(ring);
        _pool = DirectRedis.Pool(ring);
        _shared = new RedisRingCache(_pool, Options.Create(DirectRedis.Settings(ring)), NullLogger<RedisRingCache>.Instance);
        var local = Options.Create(new MetadataCacheOptions { Ttl = TimeSpan.FromSeconds(10) });
        _localA = new InProcessMetadataCache(local, _clockA);
        _localB = new InProcessMetadataCache(local, new FakeTimeProvider());
        _a = new TieredMetadataCache(_localA, _shared);
        _b = new TieredMetadataCache(_localB, _shared);

        // A first connect that outlasts the connect timeout on a loaded machine marks a live node down and
        // the refills to it are skipped (a miss, by design); the tests start once all are up.
        await DirectRedis.UntilAsync(() => _pool.Nodes.All(n => n.State == NodeState.Up), "the pool's connections to every node");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _localA.Dispose();
        _localB.Dispose();
        _pool.Dispose();
    }

    [Fact]
    public async Task Get_WhenOnlyTheRingHasIt_ReturnsIt_AndKeepsItLocally()
    {
        await _b.FillAsync("topic:orders", Orders);
        Assert.False((await _localA.TryGetAsync<Topic>("topic:orders", default)).Found);

        Assert.Equal(Orders, (await _a.TryGetAsync<Topic>("topic:orders", default)).Value);

        Assert.Equal(Orders, (await _localA.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    [Fact]
    public async Task Get_WhenTheLocalTierHasIt_NeedsNoRing()
    {
        await _a.FillAsync("topic:orders", Orders);
        await DirectRedis.OnNodeAsync(_pool.Owner("topic:orders").Name, db => db.KeyDeleteAsync("topic:orders"));

        Assert.Equal(Orders, (await _a.TryGetAsync<Topic>("topic:orders", default)).Value);
    }

    [Fact]
    public async Task Refill_WritesBothTiers()
    {
        await _a.FillAsync("topic:orders", Orders);

        Assert.True((await _localA.TryGetAsync<Topic>("topic:orders", default)).Found);
        Assert.Equal([_pool.Owner("topic:orders").Name], await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
    }

    [Fact]
    public async Task Invalidate_RemovesFromBothTiers()
    {
        await _a.FillAsync("topic:orders", Orders);

        await _a.InvalidateAsync("topic:orders", default);

        Assert.False((await _localA.TryGetAsync<Topic>("topic:orders", default)).Found);
        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
        Assert.False((await _a.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    [Fact]
    public async Task AnotherProcessesInvalidation_ReachesThisProcessWhenItsLocalTtlRunsOut()
    {
        await _a.FillAsync("topic:orders", Orders);

        await _b.InvalidateAsync("topic:orders", default);
        Assert.True((await _a.TryGetAsync<Topic>("topic:orders", default)).Found);

        _clockA.Advance(TimeSpan.FromSeconds(11));
        Assert.False((await _a.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    [Fact]
    public async Task FullMiss_InvalidatedBeforeTheRefill_RefillsNeitherTier()
    {
        var miss = await _a.TryGetAsync<Topic>("topic:orders", default);

        await _a.InvalidateAsync("topic:orders", default);
        await _a.RefillAsync("topic:orders", Orders, miss.Ticket, default);

        Assert.False((await _localA.TryGetAsync<Topic>("topic:orders", default)).Found);
        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
        Assert.False((await _a.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    /// <summary>
    /// Another process's invalidation keeps the old value off the ring, so every process that reads the ring
    /// next reads the database. (This process's own tier cannot see it and keeps the value for its TTL.)
    /// </summary>
    [Fact]
    public async Task FullMiss_InvalidatedByAnotherProcessBeforeTheRefill_DoesNotRefillTheRing()
    {
        var miss = await _a.TryGetAsync<Topic>("topic:orders", default);

        await _b.InvalidateAsync("topic:orders", default);
        await _a.RefillAsync("topic:orders", Orders, miss.Ticket, default);

        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, "topic:orders"));
        Assert.False((await _b.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    /// <summary>
    /// A read that misses locally and hits the ring keeps the value locally only if this process did not
    /// invalidate the key meanwhile: the ring's answer may predate the write behind that invalidation.
    /// </summary>
    [Fact]
    public async Task RingHit_InvalidatedHereBeforeItIsKeptLocally_IsNotKeptLocally()
    {
        await _b.FillAsync("topic:orders", Orders);
        var pausing = new PausingCache(_shared);
        var a = new TieredMetadataCache(_localA, pausing);

        var pause = pausing.PauseNextRead();
        var read = a.TryGetAsync<Topic>("topic:orders", default).AsTask();
        await pause.Fetched.WaitAsync(HangGuard);
        await a.InvalidateAsync("topic:orders", default);
        pause.Release();

        Assert.Equal(Orders, (await read.WaitAsync(HangGuard)).Value);
        Assert.False((await _localA.TryGetAsync<Topic>("topic:orders", default)).Found);
        Assert.False((await a.TryGetAsync<Topic>("topic:orders", default)).Found);
    }

    /// <summary>The shared tier, with its next read held back once it has its answer.</summary>
    private sealed class PausingCache(IMetadataCache inner) : IMetadataCache
    {
        private ReadPause? _pause;

        public ReadPause PauseNextRead()
        {
            var pause = new ReadPause();
            Volatile.Write(ref _pause, pause);
            return pause;
        }

        public async ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
        {
            var lookup = await inner.TryGetAsync<T>(key, cancellationToken);
            if (Interlocked.Exchange(ref _pause, null) is { } pause)
            {
                await pause.HoldAsync();
            }

            return lookup;
        }

        public ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class =>
            inner.RefillAsync(key, value, ticket, cancellationToken);

        public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken) => inner.InvalidateAsync(key, cancellationToken);
    }
}
