using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Shared.Configuration;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Topics, subscriptions, tombstones of deleted subscriptions and SMS opt-outs in one DynamoDB table
/// (<c>{ResourcePrefix}metadata</c>), with single-item conditional writes only (no transactions: dynalite
/// has none) and never a Scan.
/// <para>Items (see <see cref="MetadataKeys"/>):</para>
/// <list type="bullet">
/// <item>topic: <c>topic#{name} / topic</c> with its creation time, its display name when set, and a random
/// <em>incarnation</em>;</item>
/// <item>subscription: <c>subs#{incarnation}#{topic} / sub#{protocol}#{sha256(endpoint)}</c>, the whole
/// subscription, with its filter policy, delivery policy, last delivery error and disabled reason when set
/// (UpdateItems conditional on the id, as confirming is; disabling and enabling also on the status they
/// change from). Its key is the uniqueness of (topic, protocol, endpoint), so an idempotent
/// subscribe is one <c>attribute_not_exists</c> put; the local index <c>subscriptions-by-id</c> orders the
/// partition by subscription id, which is creation order. While pending with an expiry it carries the TTL
/// attribute <c>ttl</c>;</item>
/// <item>lookup: <c>subid#{id} / subid</c> naming the topic, incarnation and sort key of subscription <c>id</c>,
/// with the same <c>ttl</c> as its subscription until that is confirmed;</item>
/// <item>tombstone: <c>deleted#{id} / deleted</c>, the deleted subscription's attributes as they were and the
/// time of the delete, with a <c>ttl</c> <see cref="DeletedSubscription.Retention"/> later;</item>
/// <item>SMS opt-out: <c>optout#{phone number} / optout</c>, present while the number is opted out, with the
/// time it first was. One item per number, as SNS keeps one account-wide list: a STOP is one write that covers
/// the number's subscriptions to every topic, present and future, with no fan-out and no index. Opting back in
/// deletes the item rather than storing <c>false</c>, so the table holds only opted-out numbers and "no item"
/// has one meaning. Opt-outs belong to no topic: deleting a topic leaves them.</item>
/// </list>
/// <para>
/// Expiry: the table's TTL is on <c>ttl</c> (enabled at start-up where the endpoint supports it, as for
/// the dedup table), so DynamoDB itself deletes expired pending subscriptions, their lookups and old
/// tombstones, and <see cref="DeleteExpiredAsync"/> has nothing to do. DynamoDB deletes an item only some
/// time after its TTL (up to days), so readers never rely on it: every read and conditional write checks
/// <c>expiresAt</c> or <c>deletedAt</c> against this process's clock, and treats what expired as absent.
/// </para>
/// <para>
/// Reads: a topic by name is a consistent GetItem. A topic's subscriptions (listing and the Sender's
/// fan-out) are a consistent GetItem of the topic, for its incarnation, then a consistent Query of the
/// local index: a subscription is listed the moment its subscribe returned. A subscription by id is a
/// consistent GetItem of the lookup, then the subscription and its topic in parallel; it exists only if
/// the subscription item still carries that id and the topic still has that incarnation. Opt-outs are a
/// consistent GetItem for one number, a consistent BatchGetItem (100 keys a call) for several, so a STOP
/// counts from the next message on. A tombstone is a consistent GetItem. The subscriptions of every topic
/// walk the topic index in name order and query each topic's partition in turn
/// (<see cref="DynamoDbSubscriptionListing"/>).
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
/// <item>Subscribe where an expired pending subscription holds the key: put the lookup, then put the
/// subscription item on condition that the key still holds the expired one's id, pending (the commit
/// point), then delete the expired one's lookup. The condition loses to a confirm that got there first
/// from a host whose clock is behind; a crash before the last step leaves a lookup naming another id:
/// invisible, and deleted by its TTL.</item>
/// <item>Confirm: remove <c>ttl</c> from the lookup first (on condition that it has not passed), then confirm
/// the subscription item, removing its <c>expiresAt</c> and <c>ttl</c>, on condition that it carries the id
/// and has not expired (the commit point). In the other order, a crash in between would leave a confirmed
/// subscription whose lookup DynamoDB deletes at the old expiry: a subscriber whose confirm and unsubscribe
/// links stop working while messages keep coming. In this order the crash leaves a pending subscription
/// whose lookup has no TTL: the subscription expires as it would have, and the lookup then names nothing.</item>
/// <item>Update settings, delivery error: one UpdateItem on the subscription item, conditional on the id
/// and on not having expired; a topic's display name, one UpdateItem on the topic item on condition that it
/// exists. Either replaces the whole settings record, so concurrent updates are last-writer-wins.</item>
/// <item>Delete subscription: delete the subscription item on condition that it carries the id and has not
/// expired (the commit point: it leaves listings and fan-out, and frees the endpoint for a new subscribe),
/// then put its tombstone, then delete the lookup. The tombstone comes after the commit so that a
/// subscription that exists never has one; a crash before it loses only the tombstone (an old unsubscribe
/// link then answers "not found" rather than "already unsubscribed"), and a crash before the lookup's
/// delete leaves a lookup to nothing: invisible as above.</item>
/// <item>Delete topic: delete the topic item (the commit point), then sweep its incarnation's partition
/// (subscription items and their lookups) with BatchWriteItem. A crash mid-sweep leaves items under an
/// incarnation no topic item names: never listed or fanned out, never seen by a topic created again under
/// the same name (it gets a new incarnation), and refused by id because the incarnations differ.</item>
/// <item>A subscribe racing a topic delete may write after the sweep, into the dead incarnation. That is
/// the same invisible state, and what a client sees is the same as the subscribe happening first and the
/// delete's cascade removing it. Deleting a topic writes no tombstones: its owner deleted it, no subscriber
/// unsubscribed.</item>
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

    // A create retries when what blocked its conditional write is gone by the time it reads it (deleted
    // in between). Each retry needs another concurrent delete, so a few attempts are plenty.
    private const int MaxAttempts = 5;

    private readonly MetadataTable _table;
    private readonly DynamoDbSubscriptions _subscriptions;
    private readonly DynamoDbSubscriptionListing _listing;
    private readonly DynamoDbTombstones _tombstones;

    public DynamoDbMetadataStore(IAmazonDynamoDB client, IOptions<AwsOptions> options, TimeProvider clock)
        : this(client, TableDefinitions.MetadataName(options.Value), clock)
    {
    }

    internal DynamoDbMetadataStore(IAmazonDynamoDB client, string tableName, TimeProvider clock, int listingReadBudget = DynamoDbSubscriptionListing.DefaultReadBudget)
    {
        _table = new MetadataTable(client, tableName);
        _tombstones = new DynamoDbTombstones(_table, clock);
        _subscriptions = new DynamoDbSubscriptions(_table, _tombstones, clock);
        _listing = new DynamoDbSubscriptionListing(_table, clock, listingReadBudget);
    }

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        CreateTopicAsync(new Topic(name, now), cancellationToken);

    public async Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken)
    {
        var name = topic.Name;
        var candidate = TopicItem(topic, MetadataKeys.NewIncarnation());
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await _table.TryPutAsync(candidate, cancellationToken))
            {
                return (ReadTopic(candidate).Topic, true);
            }

            if (await _table.GetTopicAsync(name, cancellationToken) is { } existing)
            {
                return (existing.Topic, false);
            }
        }

        throw new InvalidOperationException($"Topic '{name}' was deleted {MaxAttempts} times while being created; try again.");
    }

    public async Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) =>
        (await _table.GetTopicAsync(name, cancellationToken))?.Topic;

    public async Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(TopicsListing, cursor);
        var request = new QueryRequest
        {
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

        var items = await _table.QueryAsync(request, limit + 1, cancellationToken);
        return PageCut.ToPage(items.ConvertAll(item => ReadTopic(item).Topic), limit, topic => Cursor.Encode(TopicsListing, topic.Name));
    }

    public async Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken)
    {
        var request = new UpdateItemRequest
        {
            Key = MetadataKeys.Topic(name),
            ConditionExpression = "attribute_exists(#pk)",
            ExpressionAttributeNames = new()
            {
                ["#pk"] = MetadataKeys.Pk, ["#displayName"] = MetadataKeys.DisplayName, ["#retention"] = MetadataKeys.RetentionSeconds,
            },
            ExpressionAttributeValues = [],
        };

        // Every setting is replaced: each is either set or removed, in one update.
        var set = new List<string>();
        var remove = new List<string>();
        if (settings.DisplayName is { } displayName)
        {
            set.Add("#displayName = :displayName");
            request.ExpressionAttributeValues[":displayName"] = S(displayName);
        }
        else
        {
            remove.Add("#displayName");
        }

        if (settings.Retention is { } retention)
        {
            set.Add("#retention = :retention");
            request.ExpressionAttributeValues[":retention"] = N((long)retention.TotalSeconds);
        }
        else
        {
            remove.Add("#retention");
        }

        request.UpdateExpression = string.Join(' ',
            new[] { set.Count > 0 ? "SET " + string.Join(", ", set) : null, remove.Count > 0 ? "REMOVE " + string.Join(", ", remove) : null }.OfType<string>());
        if (request.ExpressionAttributeValues.Count == 0)
        {
            // DynamoDB refuses an empty map of values.
            request.ExpressionAttributeValues = null;
        }

        return await _table.TryUpdateAsync(request, cancellationToken) is { } updated ? ReadTopic(updated).Topic : null;
    }

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var deleted = await _table.TryDeleteAsync(new DeleteItemRequest { Key = MetadataKeys.Topic(name) }, cancellationToken);
        if (deleted is null)
        {
            return false;
        }

        await SweepAsync(MetadataKeys.SubscriptionsOf(name, ReadTopic(deleted).Incarnation), cancellationToken);
        return true;
    }

    public Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken) =>
        _subscriptions.SubscribeAsync(candidate, cancellationToken);

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        _subscriptions.GetAsync(id, cancellationToken);

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        _subscriptions.ListAsync(topic, limit, cursor, cancellationToken);

    public Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        _listing.ListAsync(query, limit, cursor, cancellationToken);

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        _subscriptions.ConfirmAsync(id, now, cancellationToken);

    public Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken) =>
        _subscriptions.UpdateAsync(id, settings, cancellationToken);

    public Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken) =>
        _subscriptions.GetConfirmedPageAsync(topic, after, through, limit, cancellationToken);

    public Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        _subscriptions.DeleteAsync(id, now, cancellationToken);

    public Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        _tombstones.GetAsync(id, cancellationToken);

    public Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken) =>
        _subscriptions.SetDisabledAsync(id, reason, cancellationToken);

    public Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken) =>
        _subscriptions.SetDeliveryErrorAsync(id, error, cancellationToken);

    public Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        _subscriptions.SetSigningSecretsAsync(id, secrets, cancellationToken);

    // DynamoDB deletes expired items itself, by the TTL attribute (see the summary): nothing to do here,
    // and reads ignore what has expired until then.
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);

    public async Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!optedOut)
        {
            await _table.DeleteAsync(MetadataKeys.SmsOptOut(phoneNumber), cancellationToken);
            return;
        }

        // An update rather than a put, so that opting out again keeps the first time, as confirming does.
        await _table.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _table.Name,
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
            1 => await _table.GetAsync(keys[0], cancellationToken) is { } item ? [item] : [],
            _ => await BatchReader.ReadAsync(_table.Client, _table.Name, keys, cancellationToken),
        };
        return items.Select(ReadOptedOutNumber).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Deletes what a topic incarnation's partition holds, and the lookups of its subscriptions.</summary>
    private async Task SweepAsync(string partition, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            ConsistentRead = true,
            KeyConditionExpression = "#pk = :pk",
            ProjectionExpression = "#pk, #sk, #id",
            ExpressionAttributeNames = new() { ["#pk"] = MetadataKeys.Pk, ["#sk"] = MetadataKeys.Sk, ["#id"] = MetadataKeys.SubscriptionId },
            ExpressionAttributeValues = new() { [":pk"] = S(partition) },
        };

        do
        {
            var response = await _table.QueryPageAsync(request, cancellationToken);
            var deletes = new List<WriteRequest>();
            foreach (var item in response.Items ?? [])
            {
                deletes.Add(DeleteRequest(MetadataTable.Key(item)));
                if (item.TryGetValue(MetadataKeys.SubscriptionId, out var id))
                {
                    deletes.Add(DeleteRequest(MetadataKeys.Lookup(id.S)));
                }
            }

            await BatchWriter.WriteAsync(_table.Client, _table.Name, deletes, cancellationToken);
            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (request.ExclusiveStartKey is { Count: > 0 });
    }

    private static WriteRequest DeleteRequest(Dictionary<string, AttributeValue> key) =>
        new() { DeleteRequest = new DeleteRequest { Key = key } };
}
