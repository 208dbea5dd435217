using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Shared.Configuration;
using static Notify.Metadata.Deliveries.DynamoDb.DeliveryKeys;

namespace Notify.Metadata.Deliveries.FanOut;

/// <summary>Fan-out marks in the deliveries table: one item per message, <c>fanout#{messageId} / mark</c>, expiring by TTL.</summary>
public sealed class DynamoDbFanOutProgress : IFanOutProgress
{
    private const string After = "after";
    private const string Pages = "pages";

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public DynamoDbFanOutProgress(IAmazonDynamoDB client, IOptions<AwsOptions> options, TimeProvider clock)
        : this(client, DeliveriesTable.NameFor(options.Value), clock)
    {
    }

    internal DynamoDbFanOutProgress(IAmazonDynamoDB client, string tableName, TimeProvider clock)
    {
        _client = client;
        _table = tableName;
        _clock = clock;
    }

    public async Task<FanOutMark?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        var item = (await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = MarkKey(messageId), ConsistentRead = true }, cancellationToken)).Item;
        if (item is not { Count: > 0 } || TimeOf(item, ExpiresAt) <= _clock.GetUtcNow())
        {
            return null;
        }

        return new FanOutMark(StringOf(item, After)!, (int)Long(item, Pages));
    }

    public Task SaveAsync(string messageId, FanOutMark mark, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var item = MarkKey(messageId);
        item[After] = S(mark.After);
        item[Pages] = N(mark.Pages);
        item[ExpiresAt] = Time(expiresAt);
        item[TimeToLive] = Ttl(expiresAt);
        return _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);
    }

    private static Dictionary<string, AttributeValue> MarkKey(string messageId) => Key("fanout#" + messageId, "mark");
}
