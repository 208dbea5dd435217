using Notify.Shared.Redis;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Redis;

/// <summary>A node's health as the client library reports it, against real Redis nodes.</summary>
public sealed class RedisNodeTests(RedisRing ring) : IClassFixture<RedisRing>, IAsyncLifetime, IDisposable
{
    private readonly FakeLogCollector _logs = new();
    private RedisNodePool _pool = null!;

    public async Task InitializeAsync()
    {
        _pool = DirectRedis.Pool(ring, new FakeLogger<RedisNodePool>(_logs));
        await DirectRedis.UntilAsync(() => _pool.Nodes.All(n => n.State == NodeState.Up), "the pool's connections to every node");
    }

    public Task DisposeAsync() => DirectRedis.RestartKilledAsync(ring);

    public void Dispose()
    {
        _pool.Dispose();
    }

    /// <summary>
    /// No command is sent and probes only ask nodes already down, so only the library's ConnectionFailed
    /// can mark the node down: the first call after a crash skips it instead of failing on it.
    /// </summary>
    [Fact]
    public async Task KilledNode_IsMarkedDown_BeforeAnyCommandFailsOnIt()
    {
        var node = _pool.Nodes[0];
        ring.Nodes.Single(server => server.EndPoint == node.Name).Kill();

        await _logs.WhenLoggedAsync("RedisNodeDown");

        Assert.Equal(NodeState.Down, node.State);
        Assert.All(_pool.Nodes.Skip(1), other => Assert.Equal(NodeState.Up, other.State));
        Assert.Contains(node.Name, Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "RedisNodeDown").Message);
    }

    [Fact]
    public async Task RestartedNode_IsUsedAgain_AfterTheLibraryReconnects()
    {
        var node = _pool.Nodes[1];
        var server = ring.Nodes.Single(s => s.EndPoint == node.Name);
        server.Kill();
        await _logs.WhenLoggedAsync("RedisNodeDown");

        await server.StartAsync();
        await _logs.WhenLoggedAsync("RedisNodeUp");

        Assert.Equal(NodeState.Up, node.State);
        Assert.True((await node.RunAsync(0, static (db, _) => db.PingAsync(), default)).Succeeded);
    }
}
