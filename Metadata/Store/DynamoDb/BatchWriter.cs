using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// BatchWriteItem in batches of 25 (DynamoDB's limit), writing again what DynamoDB left unprocessed
/// (throttling, partition limits) with exponential backoff, as its documentation asks.
/// </summary>
internal static class BatchWriter
{
    private const int BatchSize = 25;
    private const int MaxAttempts = 10;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    public static async Task WriteAsync(IAmazonDynamoDB client, string table, IReadOnlyList<WriteRequest> requests, CancellationToken cancellationToken)
    {
        foreach (var batch in requests.Chunk(BatchSize))
        {
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = [.. batch] };
            var backoff = FirstBackoff;
            for (var attempt = 1; ; attempt++)
            {
                var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken);
                if (response.UnprocessedItems is not { Count: > 0 } unprocessed || unprocessed.Values.All(list => list.Count == 0))
                {
                    break;
                }

                if (attempt == MaxAttempts)
                {
                    throw new InvalidOperationException(
                        $"DynamoDB left {unprocessed.Values.Sum(list => list.Count)} writes to '{table}' unprocessed after {MaxAttempts} attempts.");
                }

                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                pending = unprocessed;
            }
        }
    }
}
