using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Deliveries;

/// <summary>The delivery contract against dynalite, plus what only the DynamoDB design has to get right.</summary>
public sealed class DynamoDbDeliveryStoreTests(DynaliteServer server) : DeliveryStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private DynamoDbDeliveryStore? _store;

    protected override IDeliveryStore Store => _store!;

    private string TableName => DeliveriesTable.NameFor(_dynamo.Options);

    public async Task InitializeAsync()
    {
        var tables = new DynamoDbTables(
            _dynamo.Client, Microsoft.Extensions.Options.Options.Create(_dynamo.Options), [DeliveriesTable.For(_dynamo.Options)], NullLogger<DynamoDbTables>.Instance);
        await tables.EnsureCreatedAsync(default);
        _store = new DynamoDbDeliveryStore(_dynamo.Client, Microsoft.Extensions.Options.Options.Create(_dynamo.Options), Clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    /// <summary>Every expiring item carries the TTL attribute in epoch seconds (rounded up), so DynamoDB can delete it.</summary>
    [Fact]
    public async Task ExpiringItems_CarryTheTtlAttribute()
    {
        var letter = Letter("sub-a", MessageIdAt(Now, 1)) with { ExpiresAt = Now.AddDays(1).AddMilliseconds(1) };
        await Store.PutDeadLetterAsync(letter, default);
        await Store.PutRetryAsync(Retry("sub-a", letter.MessageId, Now.AddMinutes(1)), default);
        await Store.AddMessageOutcomeAsync(Outcome(letter.MessageId) with { Subscribers = 1 }, default);
        await Store.AddCountsAsync([Delta(StatsScope.Topic("orders"), Now, new DeliveryCounts(1, 0, 0, 0, 0))], default);

        Assert.Equal(Now.AddDays(1).ToUnixTimeSeconds() + 1, await TtlOfAsync(DeliveryKeys.DeadLetter("sub-a", letter.MessageId)));
        Assert.Equal(Now.AddDays(2).ToUnixTimeSeconds(), await TtlOfAsync(DeliveryKeys.Retry("sub-a", letter.MessageId)));
        Assert.Equal(Now.AddDays(7).ToUnixTimeSeconds(), await TtlOfAsync(DeliveryKeys.Outcome(letter.MessageId)));
        Assert.Equal(Now.AddHours(2).ToUnixTimeSeconds(), await TtlOfAsync(DeliveryKeys.Minute(StatsScope.Topic("orders"), Now)));
        Assert.Null(await TtlOfAsync(DeliveryKeys.Total(StatsScope.Topic("orders"))));
    }

    /// <summary>A window matching the last few of many dead letters: the listing reads on past pages that match nothing.</summary>
    [Fact]
    public async Task ListDeadLetters_WindowMatchingFewOfMany_ReadsOnUntilAPage()
    {
        var ids = Enumerable.Range(0, 30).Select(i => MessageIdAt(Now.AddSeconds(i), i)).ToArray();
        foreach (var id in ids)
        {
            await Store.PutDeadLetterAsync(Letter("sub-a", id), default);
        }

        var page = await Store.ListDeadLettersAsync("sub-a", new TimeWindow(Now.AddSeconds(27), null), 2, null, default);
        var rest = await Store.ListDeadLettersAsync("sub-a", new TimeWindow(Now.AddSeconds(27), null), 2, page.NextCursor, default);

        Assert.Equal(ids[27..29], page.Items.Select(l => l.MessageId));
        Assert.Equal(ids[29..], rest.Items.Select(l => l.MessageId));
    }

    private async Task<long?> TtlOfAsync(Dictionary<string, AttributeValue> key)
    {
        var item = (await _dynamo.Client.GetItemAsync(new GetItemRequest { TableName = TableName, Key = key, ConsistentRead = true })).Item;
        return item is not null && item.TryGetValue(DeliveryKeys.TimeToLive, out var ttl) ? long.Parse(ttl.N, System.Globalization.CultureInfo.InvariantCulture) : null;
    }
}
