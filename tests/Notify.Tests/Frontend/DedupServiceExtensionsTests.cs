using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Frontend.Dedup;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Redis;

namespace Notify.Tests.Frontend;

/// <summary>In Aws mode, where dedup claims live, and so which tables the start-up check creates and which pool the claims use.</summary>
public sealed class DedupServiceExtensionsTests
{
    [Theory]
    [InlineData(null, typeof(DynamoDbDedupStore), new[] { "n-metadata", "n-dedup" })]
    [InlineData("127.0.0.1:6390,127.0.0.1:6391", typeof(RedisDedupStore), new[] { "n-metadata" })]
    public void AwsMode_ChecksTheDedupTable_OnlyWhenClaimsLiveInDynamoDb(string? nodes, Type store, string[] tables)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Mode"] = "Aws",
            ["Notify:Aws:ResourcePrefix"] = "n-",
            ["Notify:Redis:Nodes"] = nodes,
        });

        builder.AddNotifyMetadata();
        builder.Services.AddNotifyDedup(builder.Configuration);

        // One dedup store; the DynamoDB one is registered as itself and wrapped in its outage guard.
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IDedupStore));
        Assert.Contains(builder.Services, d => d.ServiceType == store || d.ImplementationType == store);
        // The metadata cache and the dedup store share one pool: one connection and one probe per node.
        Assert.Equal(nodes is null ? 0 : 1, builder.Services.Count(d => d.ServiceType == typeof(RedisNodePool)));
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(tables, services.GetServices<DynamoDbTable>().Select(table => table.Name));
    }
}
