using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Retention;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Retention;

/// <summary>The retained-message contract against dynalite, plus what only the DynamoDB design has to get right.</summary>
public sealed class DynamoDbRetainedMessagesTests(DynaliteServer server) : RetainedMessagesContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private DynamoDbRetainedMessages? _store;

    protected override IRetainedMessages Store => _store!;

    private string TableName => DeliveriesTable.NameFor(_dynamo.Options);

    public async Task InitializeAsync()
    {
        var tables = new DynamoDbTables(
            _dynamo.Client, Microsoft.Extensions.Options.Options.Create(_dynamo.Options), [DeliveriesTable.For(_dynamo.Options)], NullLogger<DynamoDbTables>.Instance);
        await tables.EnsureCreatedAsync(default);
        _store = new DynamoDbRetainedMessages(_dynamo.Client, Microsoft.Extensions.Options.Options.Create(_dynamo.Options), Clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    /// <summary>Each kept message is the item <c>kept#{topic} / {messageId}</c> with the TTL attribute (epoch seconds, rounded up).</summary>
    [Fact]
    public async Task Keep_WritesTheItemWithTheTtlAttribute()
    {
        var message = Message("orders", Now, 1) with { ExpiresAt = Now.AddDays(7).AddMilliseconds(1) };

        await Store.KeepAsync(message, default);

        var item = (await _dynamo.Client.GetItemAsync(new GetItemRequest
        {
            TableName = TableName, Key = DeliveryKeys.Key("kept#orders", message.MessageId), ConsistentRead = true,
        })).Item;
        Assert.Equal((Now.AddDays(7).ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), item[DeliveryKeys.TimeToLive].N);
    }

    /// <summary>A narrow window of many kept messages: the listing reads the ids around it and pages on to the end.</summary>
    [Fact]
    public async Task List_NarrowWindowOfMany_FindsExactlyItsMessages()
    {
        var messages = Enumerable.Range(0, 40).Select(i => Message("orders", Now.AddSeconds(i), i)).ToArray();
        foreach (var message in messages)
        {
            await Store.KeepAsync(message, default);
        }

        var window = Window(Now.AddSeconds(20), Now.AddSeconds(23));
        var page = await Store.ListAsync("orders", window, 2, null, default);
        var rest = await Store.ListAsync("orders", window, 2, page.NextCursor, default);

        Assert.Equal(messages[20..22], page.Items);
        Assert.Equal(messages[22..23], rest.Items);
        Assert.Null(rest.NextCursor);
    }
}
