using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Deliveries.Pacing;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Deliveries.Pacing;

/// <summary>The pace contract against dynalite, plus the expiry only the DynamoDB design needs.</summary>
public sealed class DynamoDbPaceStoreTests(DynaliteServer server) : PaceStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);

    protected override IPaceStore NewStore() => new DynamoDbPaceStore(_dynamo.Client, Options.Create(_dynamo.Options), Clock);

    public async Task InitializeAsync()
    {
        var tables = new DynamoDbTables(_dynamo.Client, Options.Create(_dynamo.Options), [DeliveriesTable.For(_dynamo.Options)], NullLogger<DynamoDbTables>.Instance);
        await tables.EnsureCreatedAsync(default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    /// <summary>A line's item expires (DynamoDB TTL) an hour or more after its next turn, however far turns were queued ahead.</summary>
    [Fact]
    public async Task LineItem_ExpiresAnHourOrMoreAfterItsNextTurn()
    {
        var store = NewStore();
        for (var i = 0; i < 30; i++)
        {
            await store.TakeTurnAsync("s1/turns", TimeSpan.FromMinutes(10), default);
        }

        var item = (await _dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = DeliveriesTable.NameFor(_dynamo.Options),
            Key = DeliveryKeys.Key("pace#s1/turns", "next"),
            ConsistentRead = true,
        })).Item;

        // 30 turns 10 minutes apart: the next free one is Now + 5 h.
        var ttl = DateTimeOffset.FromUnixTimeSeconds(DeliveryKeys.Long(item, DeliveryKeys.TimeToLive));
        Assert.InRange(ttl, Now.AddHours(6), Now.AddHours(6).AddMinutes(1));
    }
}
