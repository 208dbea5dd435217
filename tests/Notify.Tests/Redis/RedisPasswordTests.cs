using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Model;
using Notify.Shared.Redis;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Redis;

/// <summary>Nodes that require AUTH (as ElastiCache with an auth token) are used with Notify:Redis:Password.</summary>
public sealed class RedisPasswordTests : IAsyncLifetime
{
    private readonly RedisServer _node = new() { RequirePassword = "s3cret-redis-pass" };

    public Task InitializeAsync() => _node.InitializeAsync();

    public Task DisposeAsync() => _node.DisposeAsync();

    [Fact]
    public async Task WithThePassword_TheNodeCaches_WithoutIt_EveryReadIsAMiss()
    {
        var topic = new Topic("orders", DateTimeOffset.UnixEpoch);

        var withPassword = DirectRedis.Settings(_node.EndPoint);
        withPassword.Password = "s3cret-redis-pass";
        using (var pool = new RedisNodePool(Options.Create(withPassword), TimeProvider.System, NullLogger<RedisNodePool>.Instance))
        {
            var cache = new RedisRingCache(pool, Options.Create(withPassword), NullLogger<RedisRingCache>.Instance);
            await cache.FillAsync("topic:orders", topic);
            Assert.Equal(topic, (await cache.TryGetAsync<Topic>("topic:orders", default)).Value);
        }

        var withoutPassword = new RedisOptions { Nodes = _node.EndPoint };
        using (var pool = new RedisNodePool(Options.Create(withoutPassword), TimeProvider.System, NullLogger<RedisNodePool>.Instance))
        {
            var cache = new RedisRingCache(pool, Options.Create(withoutPassword), NullLogger<RedisRingCache>.Instance);
            Assert.False((await cache.TryGetAsync<Topic>("topic:orders", default)).Found);
        }
    }
}
