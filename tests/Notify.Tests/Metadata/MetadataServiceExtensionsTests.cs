using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Metadata.Cache;
using Notify.Metadata.Extensions;
using Notify.Shared.Redis;

namespace Notify.Tests.Metadata;

/// <summary>Which cache each kind of process gets, by mode, Redis nodes and whether it keeps an in-process tier.</summary>
public sealed class MetadataServiceExtensionsTests
{
    public static TheoryData<string, string?, bool, Type> Cases => new()
    {
        // Embedded ignores Redis nodes: one process, its in-process cache.
        { "Embedded", null, true, typeof(InProcessMetadataCache) },
        { "Embedded", "127.0.0.1:6390", true, typeof(InProcessMetadataCache) },
        { "Embedded", null, false, typeof(InProcessMetadataCache) },
        // Aws with a ring: the Frontend keeps a local tier in front of it, a standalone Sender reads the ring.
        { "Aws", "127.0.0.1:6390,127.0.0.1:6391", true, typeof(TieredMetadataCache) },
        { "Aws", "127.0.0.1:6390,127.0.0.1:6391", false, typeof(RedisRingCache) },
        // Aws without a ring: the Frontend caches locally, a standalone Sender reads DynamoDB.
        { "Aws", null, true, typeof(InProcessMetadataCache) },
        { "Aws", null, false, typeof(NoMetadataCache) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cache_FollowsModeNodesAndTier(string mode, string? nodes, bool inProcessTier, Type expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Notify:Mode"] = mode, ["Notify:Redis:Nodes"] = nodes });

        builder.AddNotifyMetadata(inProcessTier);

        using var services = builder.Services.BuildServiceProvider();
        Assert.IsType(expected, services.GetRequiredService<IMetadataCache>());
    }
}
