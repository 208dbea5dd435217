using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Metadata;

/// <summary>Start-up creation and checking of Aws mode's tables, against dynalite.</summary>
public sealed class DynamoDbTablesTests(DynaliteServer server) : IClassFixture<DynaliteServer>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EnsureCreated_MissingTables_CreatesThemActiveAndOnDemand()
    {
        using var dynamo = new LocalDynamoDb(server);

        await dynamo.Tables().EnsureCreatedAsync(default);

        var metadata = (await dynamo.Client.DescribeTableAsync(dynamo.Names.Metadata)).Table;
        var dedup = (await dynamo.Client.DescribeTableAsync(dynamo.Names.Dedup)).Table;
        Assert.Equal(dynamo.Options.ResourcePrefix + "metadata", metadata.TableName);
        Assert.Equal(dynamo.Options.ResourcePrefix + "dedup", dedup.TableName);
        Assert.All([metadata, dedup], table =>
        {
            Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
            Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
        });
        Assert.Equal(MetadataKeys.SubscriptionsById, Assert.Single(metadata.LocalSecondaryIndexes).IndexName);
        Assert.Equal(MetadataKeys.TopicsByName, Assert.Single(metadata.GlobalSecondaryIndexes).IndexName);
    }

    [Fact]
    public async Task EnsureCreated_PresentTables_AreReusedWithWhatTheyHold()
    {
        using var dynamo = new LocalDynamoDb(server);
        await dynamo.Tables().EnsureCreatedAsync(default);
        await new DynamoDbMetadataStore(dynamo.Client, dynamo.Names.Metadata, TimeProvider.System).CreateTopicAsync("orders", Now, default);
        var logs = new FakeLogCollector();

        await dynamo.Tables(new FakeLogger<DynamoDbTables>(logs)).EnsureCreatedAsync(default);

        Assert.NotNull(await new DynamoDbMetadataStore(dynamo.Client, dynamo.Names.Metadata, TimeProvider.System).GetTopicAsync("orders", default));
        Assert.DoesNotContain(logs.GetSnapshot(), e => e.Id.Name == "TableCreated");
    }

    [Fact]
    public async Task EnsureCreated_WithoutCreateResources_AcceptsPresentTables()
    {
        using var creator = new LocalDynamoDb(server);
        await creator.Tables().EnsureCreatedAsync(default);
        creator.Options.CreateResources = false;

        await creator.Tables().EnsureCreatedAsync(default);
    }

    [Fact]
    public async Task EnsureCreated_WithoutCreateResources_MissingTable_FailsNamingTheTableAndTheSetting()
    {
        using var dynamo = new LocalDynamoDb(server, createResources: false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => dynamo.Tables().EnsureCreatedAsync(default));

        Assert.Contains($"'{dynamo.Options.ResourcePrefix}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Aws:CreateResources", error.Message, StringComparison.Ordinal);
        var tables = await dynamo.Client.ListTablesAsync(new ListTablesRequest());
        Assert.DoesNotContain(tables.TableNames ?? [], name => name.StartsWith(dynamo.Options.ResourcePrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureCreated_TableOfAnotherShape_FailsNamingTheTable()
    {
        using var dynamo = new LocalDynamoDb(server);
        await dynamo.Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = dynamo.Names.Metadata,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => dynamo.Tables().EnsureCreatedAsync(default));

        Assert.Contains($"'{dynamo.Names.Metadata}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("key schema", error.Message, StringComparison.Ordinal);
    }

    /// <summary>dynalite has no UpdateTimeToLive: start-up goes on and says so for each table, at Information.</summary>
    [Fact]
    public async Task EnsureCreated_EndpointWithoutTtl_LogsThatTtlIsUnsupported()
    {
        using var dynamo = new LocalDynamoDb(server);
        var logs = new FakeLogCollector();

        await dynamo.Tables(new FakeLogger<DynamoDbTables>(logs)).EnsureCreatedAsync(default);

        Assert.All([dynamo.Names.Metadata, dynamo.Names.Dedup], table =>
        {
            var entry = Assert.Single(logs.GetSnapshot(), e => e.Id.Name == "TimeToLiveUnsupported" && e.Message.Contains(table, StringComparison.Ordinal));
            Assert.Equal(LogLevel.Information, entry.Level);
        });
    }
}
