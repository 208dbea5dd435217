using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Shared.Configuration;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Topics, subscriptions and SMS opt-outs in one DynamoDB table (<c>{ResourcePrefix}metadata</c>), with
/// single-item conditional writes only (no transactions: dynalite has none) and never a Scan.
/// <para>Items (see <see cref="MetadataKeys"/>):</para>
/// <list type="bullet">
/// <item>topic: <c>topic#{name} / topic</c> with its creation time and a random <em>incarnation</em>;</item>
/// <item>subscription: <c>subs#{incarnation}#{topic} / sub#{protocol}#{sha256(endpoint)}</c>, the whole
/// subscription, with its last delivery error once one is recorded (an UpdateItem conditional on the id,
/// as confirming is). Its key is the uniqueness of (topic, protocol, endpoint), so an idempotent subscribe is
/// one <c>attribute_not_exists</c> put; the local index <c>subscriptions-by-id</c> orders the partition by
/// subscription id, which is creation order;</item>
/// <item>lookup: <c>subid#{id} / subid</c> naming the topic, incarnation and sort key of subscription <c>id</c>;</item>
/// <item>SMS opt-out: <c>optout#{phone number} / optout</c>, present while the number is opted out, with the
/// time it first was. One item per number, as SNS keeps one account-wide list: a STOP is one write that covers
/// the number's subscriptions to every topic, present and future, with no fan-out and no index. Opting back in
/// deletes the item rather than storing <c>false</c>, so the table holds only opted-out numbers and "no item"
/// has one meaning. Opt-outs belong to no topic: deleting a topic leaves them.</item>
/// </list>
/// <para>
/// Reads: a topic by name is a consistent GetItem. A topic's subscriptions (listing and the Sender's
/// fan-out) are a consistent GetItem of the topic, for its incarnation, then a consistent Query of the
/// local index: a subscription is listed the moment its subscribe returned. A subscription by id is a
/// consistent GetItem of the lookup, then the subscription and its topic in parallel; it exists only if
/// the subscription item still carries that id and the topic still has that incarnation. Opt-outs are a
/// consistent GetItem for one number, a consistent BatchGetItem (100 keys a call) for several, so a STOP
/// counts from the next message on.
/// </para>
/// <para>
/// The topic list is the global index <c>topics-by-name</c> (hash: a constant on topic items only, range:
/// the name), not a single partition holding every topic item. Getting a topic by name is the hot read
/// (every uncached publish and subscribe), and as an item of its own partition it scales with the table;
/// one partition holding all topics would cap those reads at one partition's throughput. The cost is that
/// the listing, an administrative call, is eventually consistent: a topic created a moment ago may be
/// missing from it for a fraction of a second, as in SNS's ListTopics. The index's single hash value takes
/// only topic creates and deletes, which are rare.
/// </para>
/// <para>Write orders, and why a crash between any two steps is safe:</para>
/// <list type="bullet">
/// <item>Subscribe: read the topic (its incarnation), put the lookup, then put the subscription item on
/// condition that its key is free. The subscription put is the commit point: before it, the lookup points
/// to an item that is missing or carries another id, which every reader treats as "no such subscription".
/// A loser of the condition deletes its own lookup and returns the holder. A crash after the lookup leaves
/// only that invisible lookup.</item>
/// <item>Delete subscription: delete the subscription item on condition that it carries the id (the commit
/// point: it leaves listings and fan-out, and frees the endpoint for a new subscribe), then the lookup. A
/// crash in between leaves a lookup to nothing: invisible as above.</item>
/// <item>Delete topic: delete the topic item (the commit point), then sweep its incarnation's partition
/// (subscription items and their lookups) with BatchWriteItem. A crash mid-sweep leaves items under an
/// incarnation no topic item names: never listed or fanned out, never seen by a topic created again under
/// the same name (it gets a new incarnation), and refused by id because the incarnations differ.</item>
/// <item>A subscribe racing a topic delete may write after the sweep, into the dead incarnation. That is
/// the same invisible state, and what a client sees is the same as the subscribe happening first and the
/// delete's cascade removing it.</item>
/// </list>
/// <para>
/// Left behind by crashes and races: invisible items that nothing reads (collecting them would need a
/// Scan, which no request path does). A topic incarnation lives in one partition with a local index: at
/// most 10 GB of subscriptions (millions) and one partition's throughput, which the cache in front absorbs.
/// </para>
/// </summary>
internal sealed class DynamoDbMetadataStore : IMetadataStore
{
    private const string TopicsListing = "topics";

    // A create or subscribe retries when what blocked its conditional write is gone by the time it reads it
    // (deleted in between). Each retry needs another concurrent delete, so a few attempts are plenty.
    private const int MaxAttempts = 5;

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;

    public DynamoDbMetadataStore(IAmazonDynamoDB client, IOptions<AwsOptions> options)
        : this(client, DynamoDbTableNames.From(options.Value).Metadata)
    {
    }

    internal DynamoDbMetadataStore(IAmazonDynamoDB client, string tableName)
    {
        _client = client;
        _table = tableName;
    }

    public async Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidate = TopicItem(new Topic(name, now), MetadataKeys.NewIncarnation());
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await TryPutAsync(candidate, cancellationToken))
            {
                return (ReadTopic(candidate).Topic, true);
            }

            if (await GetStoredTopicAsync(name, cancellationToken) is { } existing)
            {
                return (existing.Topic, false);
            }
        }

        throw new InvalidOperationException($"Topic '{name}' was deleted {MaxAttempts} times while being created; try again.");
    }

    public async Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) =>
        (await GetStoredTopicAsync(name, cancellationToken))?.Topic;

    public async Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(TopicsListing, cursor);
        var request = new QueryRequest
        {
            TableName = _table,
            IndexName = MetadataKeys.TopicsByName,
            KeyConditionExpression = "#list = :all",
            ExpressionAttributeNames = new() { ["#list"] = MetadataKeys.TopicList },
            ExpressionAttributeValues = new() { [":all"] = S(MetadataKeys.AllTopics) },
        };
        if (after is not null)
        {
            request.KeyConditionExpression += " AND #name > :after";
            request.ExpressionAttributeNames["#name"] = MetadataKeys.TopicName;
            request.ExpressionAttributeValues[":after"] = S(after);
        }

        var items = await QueryAsync(request, limit + 1, cancellationToken);
        return ToPage(items.ConvertAll(item => ReadTopic(item).Topic), limit, topic => Cursor.Encode(TopicsListing, topic.Name));
    }

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var response = await _client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _table,
            Key = MetadataKeys.Topic(name),
            ReturnValues = ReturnValue.ALL_OLD,
        }, cancellationToken);
        if (response.Attributes is not { Count: > 0 } deleted)
        {
            return false;
        }

        await SweepAsync(MetadataKeys.SubscriptionsOf(name, ReadTopic(deleted).Incarnation), cancellationToken);
        return true;
    }

    public async Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var topic = await GetStoredTopicAsync(candidate.Topic, cancellationToken) ?? throw new TopicNotFoundException(candidate.Topic);
            var item = SubscriptionItem(candidate, topic.Incarnation);

            await PutAsync(LookupItem(candidate, topic.Incarnation), cancellationToken);
            if (await TryPutAsync(item, cancellationToken))
            {
                return (ReadSubscription(item), true);
            }

            await DeleteAsync(MetadataKeys.Lookup(candidate.Id), cancellationToken);
            if (await GetAsync(Key(item), cancellationToken) is { } existing)
            {
                return (ReadSubscription(existing), false);
            }
        }

        throw new InvalidOperationException($"The subscription to '{candidate.Topic}' was deleted {MaxAttempts} times while being created; try again.");
    }

    public async Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var read = GetAsync(pointer.SubscriptionKey, cancellationToken);
        var live = IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(read, live);
        var item = await read;
        return await live && item is not null && Holds(item, id) ? ReadSubscription(item) : null;
    }

    public async Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var listing = "subscriptions:" + topic;
        var after = Cursor.Decode(listing, cursor);
        if (await GetStoredTopicAsync(topic, cancellationToken) is not { } stored)
        {
            return new Page<Subscription>([], null);
        }

        var request = SubscriptionsQuery(stored, after);
        var items = await QueryAsync(request, limit + 1, cancellationToken);
        return ToPage(items.ConvertAll(ReadSubscription), limit, s => Cursor.Encode(listing, s.Id));
    }

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        UpdateSubscriptionAsync(
            id,
            "SET #status = :confirmed, #confirmedAt = if_not_exists(#confirmedAt, :now)",
            new() { ["#status"] = MetadataKeys.Status, ["#confirmedAt"] = MetadataKeys.ConfirmedAt },
            new() { [":confirmed"] = S(StoredNames.Of(SubscriptionStatus.Confirmed)), [":now"] = N(now.ToUnixTimeMilliseconds()) },
            cancellationToken);

    public async Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(string topic, CancellationToken cancellationToken)
    {
        if (await GetStoredTopicAsync(topic, cancellationToken) is not { } stored)
        {
            return [];
        }

        var request = SubscriptionsQuery(stored, after: null);
        request.FilterExpression = "#status = :confirmed";
        request.ExpressionAttributeNames["#status"] = MetadataKeys.Status;
        request.ExpressionAttributeValues[":confirmed"] = S(StoredNames.Of(SubscriptionStatus.Confirmed));
        var items = await QueryAsync(request, int.MaxValue, cancellationToken);
        return items.ConvertAll(ReadSubscription);
    }

    public async Task<Subscription?> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        if (await GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        var delete = DeleteIfHoldsAsync(pointer.SubscriptionKey, id, cancellationToken);
        var live = IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(delete, live);
        await DeleteAsync(MetadataKeys.Lookup(id), cancellationToken);

        // Items of a deleted topic's incarnation are cleaned up here too, but were already gone for callers.
        var deleted = await delete;
        return await live && deleted is not null ? ReadSubscription(deleted) : null;
    }

    public Task<Subscription?> RecordDeliveryErrorAsync(string id, DeliveryError error, CancellationToken cancellationToken) =>
        UpdateSubscriptionAsync(
            id,
            "SET #code = :code, #detail = :detail, #at = :at",
            new() { ["#code"] = MetadataKeys.DeliveryErrorCode, ["#detail"] = MetadataKeys.DeliveryErrorDetail, ["#at"] = MetadataKeys.DeliveryErrorAt },
            new() { [":code"] = S(error.Code), [":detail"] = S(error.Detail), [":at"] = N(error.At.ToUnixTimeMilliseconds()) },
            cancellationToken);

    public async Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!optedOut)
        {
            await DeleteAsync(MetadataKeys.SmsOptOut(phoneNumber), cancellationToken);
            return;
        }

        // An update rather than a put, so that opting out again keeps the first time, as confirming does.
        await _client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = MetadataKeys.SmsOptOut(phoneNumber),
            UpdateExpression = "SET #number = :number, #at = if_not_exists(#at, :now)",
            ExpressionAttributeNames = new() { ["#number"] = MetadataKeys.PhoneNumber, ["#at"] = MetadataKeys.OptedOutAt },
            ExpressionAttributeValues = new() { [":number"] = S(phoneNumber), [":now"] = N(now.ToUnixTimeMilliseconds()) },
        }, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken)
    {
        var keys = phoneNumbers.Distinct(StringComparer.Ordinal).Select(MetadataKeys.SmsOptOut).ToList();
        var items = keys.Count switch
        {
            0 => [],
            1 => await GetAsync(keys[0], cancellationToken) is { } item ? [item] : [],
            _ => await BatchReader.ReadAsync(_client, _table, keys, cancellationToken),
        };
        return items.Select(ReadOptedOutNumber).ToHashSet(StringComparer.Ordinal);
    }

    private QueryRequest SubscriptionsQuery(StoredTopic topic, string? after)
    {
        var request = new QueryRequest
        {
            TableName = _table,
            IndexName = MetadataKeys.SubscriptionsById,
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk },
            ExpressionAttributeValues = new() { [":pk"] = S(MetadataKeys.SubscriptionsOf(topic.Topic.Name, topic.Incarnation)) },
        };
        if (after is not null)
        {
            request.KeyConditionExpression += " AND #id > :after";
            request.ExpressionAttributeNames["#id"] = MetadataKeys.SubscriptionId;
            request.ExpressionAttributeValues[":after"] = S(after);
        }

        return request;
    }

    /// <summary>Deletes what a topic incarnation's partition holds, and the lookups of its subscriptions.</summary>
    private async Task SweepAsync(string partition, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = _table,
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk",
            ProjectionExpression = "#pk, #sk, #id",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk, ["#sk"] = MetadataKeys.Sk, ["#id"] = MetadataKeys.SubscriptionId },
            ExpressionAttributeValues = new() { [":pk"] = S(partition) },
        };

        do
        {
            var response = await _client.QueryAsync(request, cancellationToken);
            var deletes = new List<WriteRequest>();
            foreach (var item in response.Items ?? [])
            {
                deletes.Add(DeleteRequest(Key(item)));
                if (item.TryGetValue(MetadataKeys.SubscriptionId, out var id))
                {
                    deletes.Add(DeleteRequest(MetadataKeys.Lookup(id.S)));
                }
            }

            await BatchWriter.WriteAsync(_client, _table, deletes, cancellationToken);
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (request.ExclusiveStartKey is { Count: > 0 });
    }

    /// <summary>
    /// Applies <paramref name="set"/> to subscription <paramref name="id"/> and returns it as updated;
    /// null when there is no such live subscription. Conditional on the id: a subscription deleted since
    /// its lookup was read is neither changed nor recreated, and a later subscription of the same
    /// endpoint (another id) is not touched by the old one's link or delivery error.
    /// </summary>
    private async Task<Subscription?> UpdateSubscriptionAsync(
        string id,
        string set,
        Dictionary<string, string> names,
        Dictionary<string, AttributeValue> values,
        CancellationToken cancellationToken)
    {
        if (await GetPointerAsync(id, cancellationToken) is not { } pointer)
        {
            return null;
        }

        names["#id"] = MetadataKeys.SubscriptionId;
        values[":id"] = S(id);
        var update = UpdateIfHoldsAsync(new UpdateItemRequest
        {
            TableName = _table,
            Key = pointer.SubscriptionKey,
            UpdateExpression = set,
            ConditionExpression = "#id = :id",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
        }, cancellationToken);
        var live = IsLiveAsync(pointer, cancellationToken);
        await Task.WhenAll(update, live);
        var updated = await update;
        return await live && updated is not null ? ReadSubscription(updated) : null;
    }

    private async Task<StoredTopic?> GetStoredTopicAsync(string name, CancellationToken cancellationToken) =>
        await GetAsync(MetadataKeys.Topic(name), cancellationToken) is { } item ? ReadTopic(item) : null;

    private async Task<Pointer?> GetPointerAsync(string id, CancellationToken cancellationToken) =>
        await GetAsync(MetadataKeys.Lookup(id), cancellationToken) is { } item ? ReadLookup(item) : null;

    /// <summary>Whether the pointer's topic incarnation still exists: not deleted, not replaced by a new topic of that name.</summary>
    private async Task<bool> IsLiveAsync(Pointer pointer, CancellationToken cancellationToken) =>
        (await GetStoredTopicAsync(pointer.Topic, cancellationToken))?.Incarnation == pointer.Incarnation;

    private async Task<Dictionary<string, AttributeValue>?> GetAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = key, ConsistentRead = true }, cancellationToken);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private Task PutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken) =>
        _client.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, cancellationToken);

    /// <summary>Puts <paramref name="item"/> unless an item with its key exists; false when one does.</summary>
    private async Task<bool> TryPutAsync(Dictionary<string, AttributeValue> item, CancellationToken cancellationToken)
    {
        try
        {
            await _client.PutItemAsync(new PutItemRequest
            {
                TableName = _table,
                Item = item,
                ConditionExpression = "attribute_not_exists(#pk)",
                ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private Task DeleteAsync(Dictionary<string, AttributeValue> key, CancellationToken cancellationToken) =>
        _client.DeleteItemAsync(new DeleteItemRequest { TableName = _table, Key = key }, cancellationToken);

    /// <returns>The deleted subscription item, or null when the key does not hold subscription <paramref name="id"/>.</returns>
    private async Task<Dictionary<string, AttributeValue>?> DeleteIfHoldsAsync(Dictionary<string, AttributeValue> key, string id, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = key,
                ConditionExpression = "#id = :id",
                ExpressionAttributeNames = new() { ["#id"] = MetadataKeys.SubscriptionId },
                ExpressionAttributeValues = new() { [":id"] = S(id) },
                ReturnValues = ReturnValue.ALL_OLD,
            }, cancellationToken);
            return response.Attributes;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    private async Task<Dictionary<string, AttributeValue>?> UpdateIfHoldsAsync(UpdateItemRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.UpdateItemAsync(request, cancellationToken)).Attributes;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    /// <summary>Up to <paramref name="want"/> items, following DynamoDB's pages (1 MB each) as needed.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> QueryAsync(QueryRequest request, int want, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            // Limit counts the items read, before any filter: only unfiltered page queries set one.
            request.Limit = want == int.MaxValue ? null : want - items.Count;
            var response = await _client.QueryAsync(request, cancellationToken);
            items.AddRange(response.Items ?? []);
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (items.Count < want && request.ExclusiveStartKey is { Count: > 0 });

        return items;
    }

    private static Page<T> ToPage<T>(List<T> items, int limit, Func<T, string> cursorOf)
    {
        if (items.Count <= limit)
        {
            return new Page<T>(items, null);
        }

        items.RemoveRange(limit, items.Count - limit);
        return new Page<T>(items, cursorOf(items[^1]));
    }

    private static bool Holds(Dictionary<string, AttributeValue> item, string id) =>
        item.TryGetValue(MetadataKeys.SubscriptionId, out var value) && value.S == id;

    private static Dictionary<string, AttributeValue> Key(Dictionary<string, AttributeValue> item) => new()
    {
        [MetadataKeys.Pk] = item[MetadataKeys.Pk],
        [MetadataKeys.Sk] = item[MetadataKeys.Sk],
    };

    private static WriteRequest DeleteRequest(Dictionary<string, AttributeValue> key) =>
        new() { DeleteRequest = new DeleteRequest { Key = key } };
}
