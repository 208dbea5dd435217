using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Shared.Configuration;
using static Notify.Metadata.Deliveries.DynamoDb.DeliveryKeys;

namespace Notify.Metadata.Deliveries.DynamoDb;

/// <summary>
/// The delivery store of Aws mode: one DynamoDB table, <c>{ResourcePrefix}deliveries</c> (<see cref="DeliveriesTable"/>),
/// single-item writes and Queries only, never a Scan.
/// <para>Items (see <see cref="DeliveryKeys"/>):</para>
/// <list type="bullet">
/// <item>dead letter: <c>dl#{subscriptionId} / {messageId}</c>; a subscription's listing is a consistent Query
/// of its partition, which is message id (publish time) order;</item>
/// <item>retry: <c>retry#{subscriptionId} / {messageId}</c> with <c>nextAttemptAt</c>, the range key of the local
/// index <c>retries-by-next-attempt</c> (so the earliest of a subscription is the first item of a consistent
/// Query), and <c>retryMessageId</c>, the hash key of the sparse global index <c>retries-by-message</c>. A
/// message's retries come from that index, which is eventually consistent: a retry scheduled a moment
/// ago may be missing from a message's status for a fraction of a second;</item>
/// <item>message outcome: <c>msg#{messageId} / outcome</c>, counts added by UpdateItem ADD (atomic, so concurrent
/// adders never lose one another's counts), topic and times set by the first add;</item>
/// <item>stats: <c>stats#{scope} / total</c>, counts added by ADD, and the last success and failure each set by an
/// UpdateItem conditional on the stored time being earlier (a failed condition is the later time winning);
/// and one bucket a minute, <c>stats#{scope} / m#{yyyyMMddHHmm}</c>, read by one Query for the window.</item>
/// </list>
/// <para>
/// Expiry: every expiring item carries <c>ttl</c> (epoch seconds; stats buckets twice the window after their
/// minute), and the table's TTL deletes them, so <see cref="DeleteExpiredAsync"/> has nothing to do. TTL
/// deletes late (up to days), so every read compares <c>expiresAt</c> with this process's clock.
/// </para>
/// <para>
/// Adds are not idempotent: a request the SDK retries after a timeout that had in fact succeeded counts
/// twice. Stats and outcome counts are therefore exact only while DynamoDB answers in time.
/// </para>
/// </summary>
public sealed partial class DynamoDbDeliveryStore : IDeliveryStore
{
    private const int QueryPage = 25;

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public DynamoDbDeliveryStore(IAmazonDynamoDB client, IOptions<AwsOptions> options, TimeProvider clock)
        : this(client, DeliveriesTable.NameFor(options.Value), clock)
    {
    }

    internal DynamoDbDeliveryStore(IAmazonDynamoDB client, string tableName, TimeProvider clock)
    {
        _client = client;
        _table = tableName;
        _clock = clock;
    }

    public Task PutDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var item = DeadLetter(letter.SubscriptionId, letter.MessageId);
        item[SubscriptionId] = S(letter.SubscriptionId);
        item[MessageId] = S(letter.MessageId);
        item[TopicName] = S(letter.Topic);
        item[PublishedAt] = Time(letter.PublishedAt);
        item[Envelope] = S(letter.Envelope);
        item[Attempts] = S(DeliveryJsonContext.Write(letter.Attempts));
        item[LastError] = S(letter.LastError);
        item[Permanent] = new AttributeValue { BOOL = letter.Permanent };
        item[DeadLetteredAt] = Time(letter.DeadLetteredAt);
        item[ExpiresAt] = Time(letter.ExpiresAt);
        item[TimeToLive] = Ttl(letter.ExpiresAt);
        return _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);
    }

    public async Task<DeadLetter?> GetDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _table, Key = DeadLetter(subscriptionId, messageId), ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item && Live(item) ? ReadDeadLetter(item) : null;
    }

    public async Task<Page<DeadLetter>> ListDeadLettersAsync(
        string subscriptionId, TimeWindow? published, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = DeadLetterListing.After(subscriptionId, published, cursor);
        var filter = new List<string> { "#expiresAt > :now" };
        var values = new Dictionary<string, AttributeValue> { [":pk"] = S(DeadLettersOf(subscriptionId)), [":now"] = Time(_clock.GetUtcNow()) };
        var names = new Dictionary<string, string> { ["#pk"] = Pk, ["#expiresAt"] = ExpiresAt };
        if (published?.From is { } from)
        {
            filter.Add("#publishedAt >= :from");
            values[":from"] = Time(from);
            names["#publishedAt"] = PublishedAt;
        }

        if (published?.To is { } to)
        {
            filter.Add("#publishedAt < :to");
            values[":to"] = Time(to);
            names["#publishedAt"] = PublishedAt;
        }

        // The filter applies after a page is read, so a page may hold fewer matches than asked: read on
        // until one more than a page is found (to tell whether another follows) or the partition ends.
        var letters = new List<DeadLetter>();
        var start = after is null ? null : DeadLetter(subscriptionId, after);
        do
        {
            var response = await _client.QueryAsync(new QueryRequest
            {
                TableName = _table,
                KeyConditionExpression = "#pk = :pk",
                FilterExpression = string.Join(" AND ", filter),
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
                ExclusiveStartKey = start,
                ConsistentRead = true,
                Limit = limit + 1 - letters.Count,
            }, cancellationToken);
            letters.AddRange((response.Items ?? []).Select(ReadDeadLetter));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && letters.Count <= limit);

        return Store.PageCut.ToPage(letters, limit, last => DeadLetterListing.ToCursor(subscriptionId, published, last.MessageId));
    }

    public async Task<bool> DeleteDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken)
    {
        var response = await _client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _table,
            Key = DeadLetter(subscriptionId, messageId),
            ReturnValues = ReturnValue.ALL_OLD,
        }, cancellationToken);
        return response.Attributes is { Count: > 0 } old && Live(old);
    }

    public Task PutRetryAsync(ScheduledRetry retry, CancellationToken cancellationToken)
    {
        var item = Retry(retry.SubscriptionId, retry.MessageId);
        item[SubscriptionId] = S(retry.SubscriptionId);
        item[RetryMessageId] = S(retry.MessageId);
        item[TopicName] = S(retry.Topic);
        item[NextAttempt] = N(retry.NextAttempt);
        item[NextAttemptAt] = Time(retry.NextAttemptAt);
        item[LastError] = S(retry.LastError);
        item[ExpiresAt] = Time(retry.ExpiresAt);
        item[TimeToLive] = Ttl(retry.ExpiresAt);
        return _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);
    }

    public Task DeleteRetryAsync(string subscriptionId, string messageId, CancellationToken cancellationToken) =>
        _client.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = Retry(subscriptionId, messageId) }, cancellationToken);

    /// <summary>From the global index <c>retries-by-message</c>: eventually consistent (see the class).</summary>
    public async Task<IReadOnlyList<ScheduledRetry>> ListRetriesOfMessageAsync(string messageId, int limit, CancellationToken cancellationToken)
    {
        var retries = new List<ScheduledRetry>();
        await foreach (var item in QueryLiveAsync(
            new QueryRequest
            {
                IndexName = RetriesByMessage,
                KeyConditionExpression = "#key = :key",
                ExpressionAttributeNames = new() { ["#key"] = RetryMessageId },
                ExpressionAttributeValues = new() { [":key"] = S(messageId) },
            },
            cancellationToken))
        {
            if (retries.Count == limit)
            {
                break;
            }

            retries.Add(ReadRetry(item));
        }

        return retries;
    }

    public async Task<DateTimeOffset?> NextAttemptOfSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await foreach (var item in QueryLiveAsync(
            new QueryRequest
            {
                IndexName = RetriesByNextAttempt,
                KeyConditionExpression = "#key = :key",
                ExpressionAttributeNames = new() { ["#key"] = Pk },
                ExpressionAttributeValues = new() { [":key"] = S(RetriesOf(subscriptionId)) },
                ConsistentRead = true,
            },
            cancellationToken))
        {
            return TimeOf(item, NextAttemptAt);
        }

        return null;
    }

    public Task AddMessageOutcomeAsync(MessageOutcome outcome, CancellationToken cancellationToken) =>
        _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = Outcome(outcome.MessageId),
            UpdateExpression = "SET #topic = if_not_exists(#topic, :topic), #publishedAt = if_not_exists(#publishedAt, :publishedAt), " +
                "#expiresAt = if_not_exists(#expiresAt, :expiresAt), #ttl = if_not_exists(#ttl, :ttl) " +
                "ADD #subscribers :subscribers, #delivered :delivered, #retrying :retrying, #deadLettered :deadLettered",
            ExpressionAttributeNames = new()
            {
                ["#topic"] = TopicName, ["#publishedAt"] = PublishedAt, ["#expiresAt"] = ExpiresAt, ["#ttl"] = TimeToLive,
                ["#subscribers"] = Subscribers, ["#delivered"] = Delivered, ["#retrying"] = Retrying, ["#deadLettered"] = DeadLettered,
            },
            ExpressionAttributeValues = new()
            {
                [":topic"] = S(outcome.Topic), [":publishedAt"] = Time(outcome.PublishedAt), [":expiresAt"] = Time(outcome.ExpiresAt),
                [":ttl"] = Ttl(outcome.ExpiresAt), [":subscribers"] = N(outcome.Subscribers), [":delivered"] = N(outcome.Delivered),
                [":retrying"] = N(outcome.Retrying), [":deadLettered"] = N(outcome.DeadLettered),
            },
        }, cancellationToken);

    public async Task<MessageOutcome?> GetMessageOutcomeAsync(string messageId, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = Outcome(messageId), ConsistentRead = true }, cancellationToken);
        if (response.Item is not { Count: > 0 } item || !Live(item))
        {
            return null;
        }

        return new MessageOutcome
        {
            MessageId = messageId,
            Topic = StringOf(item, TopicName) ?? "",
            PublishedAt = TimeOf(item, PublishedAt),
            ExpiresAt = TimeOf(item, ExpiresAt),
            Subscribers = Long(item, Subscribers),
            Delivered = Long(item, Delivered),
            Retrying = Long(item, Retrying),
            DeadLettered = Long(item, DeadLettered),
        };
    }

    /// <summary>Nothing: the table's TTL deletes expired items (reads ignore them until it does).</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    /// <summary>The items of a Query (paged) whose expiry has not passed, read a page of <see cref="QueryPage"/> at a time.</summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryLiveAsync(
        QueryRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        request.TableName = _table;
        request.Limit = QueryPage;
        request.FilterExpression = "#expiresAt > :now";
        request.ExpressionAttributeNames["#expiresAt"] = ExpiresAt;
        request.ExpressionAttributeValues[":now"] = Time(_clock.GetUtcNow());
        do
        {
            var response = await _client.QueryAsync(request, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                yield return item;
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);
    }

    private bool Live(Dictionary<string, AttributeValue> item) => TimeOf(item, ExpiresAt) > _clock.GetUtcNow();

    private static DeadLetter ReadDeadLetter(Dictionary<string, AttributeValue> item) => new()
    {
        SubscriptionId = StringOf(item, SubscriptionId)!,
        MessageId = StringOf(item, MessageId)!,
        Topic = StringOf(item, TopicName)!,
        PublishedAt = TimeOf(item, PublishedAt),
        Envelope = StringOf(item, Envelope)!,
        Attempts = DeliveryJsonContext.Read(StringOf(item, Attempts)!),
        LastError = StringOf(item, LastError)!,
        Permanent = item.TryGetValue(Permanent, out var permanent) && permanent.BOOL == true,
        DeadLetteredAt = TimeOf(item, DeadLetteredAt),
        ExpiresAt = TimeOf(item, ExpiresAt),
    };

    private static ScheduledRetry ReadRetry(Dictionary<string, AttributeValue> item) => new(
        StringOf(item, SubscriptionId)!,
        StringOf(item, RetryMessageId)!,
        StringOf(item, TopicName)!,
        (int)Long(item, NextAttempt),
        TimeOf(item, NextAttemptAt),
        StringOf(item, LastError)!,
        TimeOf(item, ExpiresAt));
}
