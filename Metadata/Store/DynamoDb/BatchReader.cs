using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Consistent BatchGetItem in batches of 100 keys (DynamoDB's limit), asking again for what DynamoDB left
/// unprocessed (throttling, the 16 MB response limit) with exponential backoff, as <see cref="BatchWriter"/>
/// does for writes.
/// </summary>
internal static class BatchReader
{
    private const int BatchSize = 100;
    private const int MaxAttempts = 10;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <summary>The items that exist among <paramref name="keys"/>, in no particular order.</summary>
    /// <param name="keys">Distinct keys: DynamoDB refuses a batch that names a key twice.</param>
    public static async Task<List<Dictionary<string, AttributeValue>>> ReadAsync(
        IAmazonDynamoDB client, string table, IReadOnlyList<Dictionary<string, AttributeValue>> keys, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        foreach (var batch in keys.Chunk(BatchSize))
        {
            var pending = new Dictionary<string, KeysAndAttributes> { [table] = new() { Keys = [.. batch], ConsistentRead = true } };
            var backoff = FirstBackoff;
            for (var attempt = 1; ; attempt++)
            {
                var response = await client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken);
                if (response.Responses?.GetValueOrDefault(table) is { } found)
                {
                    items.AddRange(found);
                }

                if (response.UnprocessedKeys is not { Count: > 0 } unprocessed || unprocessed.Values.All(k => k.Keys is not { Count: > 0 }))
                {
                    break;
                }

                if (attempt == MaxAttempts)
                {
                    throw new InvalidOperationException(
                        $"DynamoDB left {unprocessed.Values.Sum(k => k.Keys.Count)} reads of '{table}' unprocessed after {MaxAttempts} attempts.");
                }

                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

                // UnprocessedKeys keeps the request's ConsistentRead; it is set again so that a retry can
                // never fall back to an eventually consistent read.
                foreach (var retry in unprocessed.Values)
                {
                    retry.ConsistentRead = true;
                }

                pending = unprocessed;
            }
        }

        return items;
    }
}
