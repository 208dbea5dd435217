using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Cache.Ring;
using Notify.Metadata.Model;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Metadata.Ring;

/// <summary>
/// The Frontend's cache: its in-process tier in front of the real ring. Two "processes" (A and B) share
/// the ring, each with its own local tier and clock.
/// </summary>
public sealed class TieredMetadataCacheTests(RedisRing ring) : IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    private static readonly Topic Orders = new("orders", DateTimeOffset.UnixEpoch);

    private readonly ManualTimeProvider _clockA = new();
    private RedisNodePool _pool = null!;
    private InProcessMetadataCache _localA = null!;
    private InProcessMetadataCache _localB = null!;
    private TieredMetadataCache _a = null!;
    private TieredMetadataCache _b = null!;

    public async Task InitializeAsync()
    {
        await DirectRedis.FlushAsync(ring);
        _pool = DirectRedis.Pool(ring);
        var shared = new RedisRingCache(_pool, Options.Create(DirectRedis.Settings(ring)), NullLogger<RedisRingCache>.Instance);
        var local = Options.Create(new MetadataCacheOptions { Ttl = TimeSpan.FromSeconds(10) });
        _localA = new InProcessMetadataCache(local, _clockA);
        _localB = new InProcessMetadataCache(local, new ManualTimeProvider());
        _a = new TieredMetadataCache(_localA, shared);
        _b = new TieredMetadataCache(_localB, shared);
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
}
