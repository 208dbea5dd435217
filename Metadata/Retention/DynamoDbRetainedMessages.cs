using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Configuration;
using Notify.Shared.Ids;
using static Notify.Metadata.Deliveries.DynamoDb.DeliveryKeys;

namespace Notify.Metadata.Retention;

/// <summary>
/// Retained messages of Aws mode: items <c>kept#{topic} / {messageId}</c> in the deliveries table, each with the
/// <c>ttl</c> attribute, so DynamoDB deletes them itself; TTL deletes late, so reads compare <c>expiresAt</c>
/// with this process's clock. A window is read as a consistent Query of the topic's partition over the range of
/// message ids that can fall in it (ids begin with their millisecond, see <see cref="SortableId"/>), filtered
/// exactly by publish time.
/// </summary>
public sealed class DynamoDbRetainedMessages : IRetainedMessages
{
    /// <summary>
    /// How far outside the window the key range reaches: an id's millisecond and its publish time come from two
    /// reads of the Frontend's clock, and a busy millisecond pushes ids into the next ones.
    /// </summary>
    private static readonly TimeSpan KeyMargin = TimeSpan.FromSeconds(5);

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public DynamoDbRetainedMessages(IAmazonDynamoDB client, IOptions<AwsOptions> options, TimeProvider clock)
        : this(client, DeliveriesTable.NameFor(options.Value), clock)
    {
    }

    internal DynamoDbRetainedMessages(IAmazonDynamoDB client, string tableName, TimeProvider clock)
    {
        _client = client;
        _table = tableName;
        _clock = clock;
    }

    public Task KeepAsync(RetainedMessage message, CancellationToken cancellationToken)
    {
        var item = Key(KeptOf(message.Topic), message.MessageId);
        item[TopicName] = S(message.Topic);
        item[MessageId] = S(message.MessageId);
        item[PublishedAt] = Time(message.PublishedAt);
        item[Envelope] = S(message.Envelope);
        item[ExpiresAt] = Time(message.ExpiresAt);
        item[TimeToLive] = Ttl(message.ExpiresAt);
        return _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);
    }

    public async Task<Page<RetainedMessage>> ListAsync(string topic, TimeWindow published, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = RetainedListing.After(topic, published, cursor);
        var keys = new List<string> { "#pk = :pk" };
        var filter = new List<string> { "#expiresAt > :now" };
        var values = new Dictionary<string, AttributeValue> { [":pk"] = S(KeptOf(topic)), [":now"] = Time(_clock.GetUtcNow()) };
        var names = new Dictionary<string, string> { ["#pk"] = Pk, ["#expiresAt"] = ExpiresAt };
        if (published.From is { } from)
        {
            filter.Add("#publishedAt >= :from");
            values[":from"] = Time(from);
            names["#publishedAt"] = PublishedAt;
        }

        if (published.To is { } to)
        {
            filter.Add("#publishedAt < :to");
            values[":to"] = Time(to);
            names["#publishedAt"] = PublishedAt;
        }

        // Only the ids that can fall in the window are read; one condition on the sort key at most.
        var first = published.From is { } start0 ? S(SortableId.LowerBound(start0 - KeyMargin)) : null;
        var last = published.To is { } end ? S(SortableId.LowerBound(end + KeyMargin)) : null;
        if (first is not null || last is not null)
        {
            names["#sk"] = Sk;
            keys.Add(first is not null && last is not null ? "#sk BETWEEN :first AND :last" : first is not null ? "#sk >= :first" : "#sk <= :last");
            if (first is not null)
            {
                values[":first"] = first;
            }

            if (last is not null)
            {
                values[":last"] = last;
            }
        }

        var start = after is null ? null : Key(KeptOf(topic), after);

        // The filter applies after a page is read, so a page may hold fewer matches than asked: read on
        // until one more than a page is found (to tell whether another follows) or the range ends.
        var messages = new List<RetainedMessage>();
        do
        {
            var response = await _client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = string.Join(" AND ", keys),
                FilterExpression = string.Join(" AND ", filter),
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ExclusiveStartKey = start,
                ConsistentRead = true,
                Limit = limit + 1 - messages.Count,
            }, cancellationToken);
            messages.AddRange((response.Items ?? []).Select(Read));
            start = response.LastEvaluatedKey is { Count: > 0 } evaluated ? evaluated : null;
        }
        while (start is not null && messages.Count <= limit);

        return PageCut.ToPage(messages, limit, last => RetainedListing.ToCursor(topic, published, last.MessageId));
    }

    private static string KeptOf(string topic) => "kept#" + topic;

    private static RetainedMessage Read(Dictionary<string, AttributeValue> item) => new()
    {
        Topic = item[TopicName].S,
        MessageId = item[MessageId].S,
        PublishedAt = TimeOf(item, PublishedAt),
        Envelope = item[Envelope].S,
        ExpiresAt = TimeOf(item, ExpiresAt),
    };
}
