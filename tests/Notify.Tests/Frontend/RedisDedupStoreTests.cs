using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Shared.Redis;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;
using Notify.TestServers;
using Xunit.Abstractions;

namespace Notify.Tests.Frontend;

/// <summary>
/// The dedup contract on three real Redis nodes (each <see cref="NewStore"/> is another Frontend with its
/// own connections), plus what happens when the owning node, or every node, is gone.
/// </summary>
public sealed class RedisDedupStoreTests(RedisRing ring, ITestOutputHelper output) : DedupStoreContractTests, IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);
    private const string Key = "orders\nk";
    private const string RedisKey = "dedup:" + Key;

    private readonly List<RedisNodePool> _pools = [];
    private readonly FakeLogCollector _logs = new();

    // Redis expires claims by its own clock, so the window and the lease are real time, kept short; but with
    // seconds of slack on each side of what a test waits for: with a window of 2 s, a claim checked 1.5 s
    // after its accept was once found expired on this loaded 2-core machine.
    protected override TimeSpan Window => TimeSpan.FromSeconds(8);

    protected override TimeSpan Lease => TimeSpan.FromSeconds(2);

    protected override IDedupStore NewStore() => new RedisDedupStore(NewPool(), Options.Create(Settings));

    protected override Task PassTimeAsync(TimeSpan by) => Task.Delay(by);

    public Task InitializeAsync() => DirectRedis.FlushAsync(ring);

    public Task DisposeAsync() => DirectRedis.RestartKilledAsync(ring);

    public void Dispose()
    {
        foreach (var pool in _pools)
        {
            pool.Dispose();
        }

        // What the pools saw of the nodes (marked down, re-admitted), for a test that failed.
        output.WriteLine(_logs.AllText);
    }

    [Fact]
    public async Task Claim_WithTheOwnerNodeKilled_StillDedups_OnTheNextNodeClockwise()
    {
        var store = await NewConnectedStoreAsync();
        var pool = _pools[^1];
        var owner = Server(pool.Owner(RedisKey));
        var next = Server(pool.Preference(RedisKey)[1]);

        owner.Kill();

        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m1", default).WaitAsync(HangGuard));
        await store.AcceptAsync(Key, "m1", default).WaitAsync(HangGuard);
        Assert.Equal(DedupClaim.AcceptedBy("m1"), await store.ClaimAsync(Key, "m2", default).WaitAsync(HangGuard));
        // Another Frontend, started while the owner is down, picks the same node once it has connected to
        // the live ones (a first connect slower than Notify:Redis:ConnectTimeout, as on a loaded machine,
        // counts that node as down too: the at-least-once case the store documents).
        var another = NewStore();
        var live = _pools[^1].Nodes.Where(n => n.Name != owner.EndPoint).ToList();
        await DirectRedis.UntilAsync(() => live.All(n => n.State == NodeState.Up), "the second Frontend's connections to the live nodes");
        Assert.Equal(DedupClaim.AcceptedBy("m1"), await another.ClaimAsync(Key, "m3", default).WaitAsync(HangGuard));
        Assert.Equal([next.EndPoint], await DirectRedis.NodesHoldingAsync(ring, RedisKey));
        Assert.Equal("m1", (string?)await DirectRedis.OnNodeAsync(next.EndPoint, db => db.StringGetAsync(RedisKey)));
    }

    [Fact]
    public async Task Claim_WithNoNodeAnswering_IsRefusedAsUnavailable_AndReleaseDoesNotThrow()
    {
        var store = NewStore();
        foreach (var node in ring.Nodes)
        {
            node.Kill();
        }

        var refused = await Assert.ThrowsAsync<DedupUnavailableException>(() => store.ClaimAsync(Key, "m1", default).WaitAsync(HangGuard));
        Assert.Contains("Notify:Redis:Nodes", refused.Message);
        await store.ReleaseAsync(Key, "m1", default).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task Release_RemovesTheClaim_FromTheNodeItWasMadeOn_AfterTheOwnerIsBack()
    {
        var store = await NewConnectedStoreAsync();
        var pool = _pools[^1];
        var ownerNode = pool.Owner(RedisKey);
        var owner = Server(ownerNode);
        var next = Server(pool.Preference(RedisKey)[1]);
        owner.Kill();
        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m1", default));
        Assert.Equal([next.EndPoint], await DirectRedis.NodesHoldingAsync(ring, RedisKey));

        await owner.StartAsync();
        await DirectRedis.UntilAsync(() => ownerNode.State == NodeState.Up, $"{owner.EndPoint} re-admitted");
        await store.ReleaseAsync(Key, "m1", default);

        // Left on the fallback node, the claim would answer a retry of this never-accepted message as a
        // duplicate the next time the owner is down.
        Assert.Empty(await DirectRedis.NodesHoldingAsync(ring, RedisKey));
    }

    [Fact]
    public async Task Accept_FindsTheClaim_OnTheNodeItWasMadeOn_AfterTheOwnerIsBack()
    {
        // A lease that outlasts the owner's restart.
        var settings = new DedupOptions { Window = TimeSpan.FromMinutes(2), PendingLease = TimeSpan.FromMinutes(1) };
        var store = await NewConnectedStoreAsync(settings);
        var pool = _pools[^1];
        var ownerNode = pool.Owner(RedisKey);
        var owner = Server(ownerNode);
        var next = Server(pool.Preference(RedisKey)[1]);
        owner.Kill();
        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m1", default));

        await owner.StartAsync();
        await DirectRedis.UntilAsync(() => ownerNode.State == NodeState.Up, $"{owner.EndPoint} re-admitted");
        await store.AcceptAsync(Key, "m1", default);

        Assert.Equal("m1", (string?)await DirectRedis.OnNodeAsync(next.EndPoint, db => db.StringGetAsync(RedisKey)));
        var ttl = await DirectRedis.OnNodeAsync(next.EndPoint, db => db.KeyTimeToLiveAsync(RedisKey));
        Assert.InRange(ttl!.Value, settings.PendingLease, settings.Window);
    }

    /// <summary>Claims written before claims had two phases hold the bare message id: they were accepted ones.</summary>
    [Fact]
    public async Task BareMessageId_ReadsAsAnAcceptedClaim()
    {
        var store = await NewConnectedStoreAsync();
        await DirectRedis.OnNodeAsync(_pools[^1].Owner(RedisKey).Name, db => db.StringSetAsync(RedisKey, "m0", Window));

        Assert.Equal(DedupClaim.AcceptedBy("m0"), await store.ClaimAsync(Key, "m1", default));
    }

    /// <summary>
    /// A store whose connections are all up, so that what follows tests the ring's fall-over rather than a
    /// first connect racing Notify:Redis:ConnectTimeout on a loaded machine.
    /// </summary>
    private async Task<IDedupStore> NewConnectedStoreAsync(DedupOptions? settings = null)
    {
        var store = settings is null ? NewStore() : new RedisDedupStore(NewPool(), Options.Create(settings));
        await DirectRedis.UntilAsync(() => _pools[^1].Nodes.All(n => n.State == NodeState.Up), "the store's connections to every node");
        return store;
    }

    private RedisNodePool NewPool()
    {
        var pool = DirectRedis.Pool(ring, new FakeLogger<RedisNodePool>(_logs));
        _pools.Add(pool);
        return pool;
    }

    private RedisServer Server(RedisNode node) => ring.Nodes.Single(server => server.EndPoint == node.Name);
}
