using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Frontend.Dedup;

/// <summary>
/// Dedup claims in the DynamoDB table <c>{ResourcePrefix}dedup</c>, shared by every Frontend: one item
/// per key with the holder's message id, a pending flag until the message is queued, and an expiry in
/// epoch seconds (the table's TTL attribute): the lease while pending, the end of the window once accepted.
/// A claim is a conditional put that succeeds on a missing or expired item, so exactly one of any number
/// of concurrent publishes of a key wins. Expiry is checked here, never left to TTL: DynamoDB deletes
/// expired items lazily, up to days later. Expiry is rounded up to the whole second, so the window is
/// kept for at least its configured length.
/// </summary>
internal sealed class DynamoDbDedupStore : IDedupStore
{
    // Partition keys may be 2048 bytes. Topic-scoped dedup ids are far shorter (256 + 128 characters),
    // but the store does not rely on the caller's limits.
    private const int MaxKeyBytes = 1024;

    // A claim retries when the blocking item is gone (released or expired) by the time it is read.
    private const int MaxAttempts = 5;

    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly TimeSpan _window;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _clock;

    public DynamoDbDedupStore(IAmazonDynamoDB client, IOptions<AwsOptions> aws, IOptions<DedupOptions> options, TimeProvider clock)
        : this(client, DedupTable.NameFor(aws.Value), options, clock)
    {
    }

    internal DynamoDbDedupStore(IAmazonDynamoDB client, string tableName, IOptions<DedupOptions> options, TimeProvider clock)
    {
        _client = client;
        _table = tableName;
        _window = options.Value.Window;
        _lease = options.Value.PendingLease;
        _clock = clock;
    }

    public async Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        var itemKey = ItemKey(key);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = _clock.GetUtcNow();
            var nowSeconds = now.ToUnixTimeSeconds();
            try
            {
                await _client.PutItemAsync(new PutItemRequest
                {
                    TableName = _table,
                    Item = new()
                    {
                        [DedupItems.Key] = itemKey,
                        [DedupItems.MessageId] = new AttributeValue { S = messageId },
                        [DedupItems.ExpiresAt] = ExpirySeconds(now + _lease),
                        [DedupItems.Pending] = new AttributeValue { BOOL = true },
                    },
                    ConditionExpression = "attribute_not_exists(#key) OR #expiresAt <= :now",
                    ExpressionAttributeNames = new() { ["#key"] = DedupItems.Key, ["#expiresAt"] = DedupItems.ExpiresAt },
                    ExpressionAttributeValues = new() { [":now"] = Number(nowSeconds) },
                }, cancellationToken);
                return DedupClaim.Pending(messageId);
            }
            catch (ConditionalCheckFailedException)
            {
                // A live claim holds the key; read who, consistently, as the put's condition saw it.
            }

            var holder = await _client.GetItemAsync(new GetItemRequest
            {
                TableName = _table,
                Key = new() { [DedupItems.Key] = itemKey },
                ConsistentRead = true,
            }, cancellationToken);
            if (holder.Item is { Count: > 0 } item && long.Parse(item[DedupItems.ExpiresAt].N, CultureInfo.InvariantCulture) > nowSeconds)
            {
                return new DedupClaim(item[DedupItems.MessageId].S, Accepted: !item.ContainsKey(DedupItems.Pending));
            }
        }

        throw new InvalidOperationException($"The dedup key was released or expired {MaxAttempts} times while being claimed; try again.");
    }

    public async Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = new() { [DedupItems.Key] = ItemKey(key) },
                UpdateExpression = "SET #expiresAt = :expiresAt REMOVE #pending",
                ConditionExpression = "#messageId = :messageId",
                ExpressionAttributeNames = new() { ["#messageId"] = DedupItems.MessageId, ["#expiresAt"] = DedupItems.ExpiresAt, ["#pending"] = DedupItems.Pending },
                ExpressionAttributeValues = new()
                {
                    [":messageId"] = new AttributeValue { S = messageId },
                    [":expiresAt"] = ExpirySeconds(_clock.GetUtcNow() + _window),
                },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // The lease lapsed and another publish holds the key now: that claim is not this message's to accept.
        }
    }

    public async Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteItemAsync(new DeleteItemRequest
            {
                TableName = _table,
                Key = new() { [DedupItems.Key] = ItemKey(key) },
                ConditionExpression = "#messageId = :messageId",
                ExpressionAttributeNames = new() { ["#messageId"] = DedupItems.MessageId },
                ExpressionAttributeValues = new() { [":messageId"] = new AttributeValue { S = messageId } },
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // Another message holds the key now (this claim expired and was taken over): leave it.
        }
    }

    private static AttributeValue ItemKey(string key) => new()
    {
        S = Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes
            ? key
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
    };

    /// <summary>Epoch seconds, rounded up: a claim is kept for at least its configured length.</summary>
    private static AttributeValue ExpirySeconds(DateTimeOffset at) => Number((at.ToUnixTimeMilliseconds() + 999) / 1000);

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
