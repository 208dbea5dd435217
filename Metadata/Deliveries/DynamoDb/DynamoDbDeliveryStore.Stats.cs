using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Store.DynamoDb;
using static Notify.Metadata.Deliveries.DynamoDb.DeliveryKeys;

namespace Notify.Metadata.Deliveries.DynamoDb;

/// <summary>The stats of <see cref="DynamoDbDeliveryStore"/>: a total item and minute buckets in the scope's partition.</summary>
public sealed partial class DynamoDbDeliveryStore
{
    private static readonly Dictionary<string, string> CountNames = new()
    {
        ["#published"] = Published,
        ["#delivered"] = Delivered,
        ["#retried"] = Retried,
        ["#retrying"] = Retrying,
        ["#deadLettered"] = DeadLettered,
    };

    private const string AddCounts = "ADD #published :published, #delivered :delivered, #retried :retried, #retrying :retrying, #deadLettered :deadLettered";

    /// <summary>
    /// Per delta: an ADD to the total, an ADD to the minute's bucket, and a conditional SET for each last
    /// outcome; the writes go in parallel. Not atomic across items: when one fails the call throws and the
    /// writes that succeeded stay (the caller's retry may count them twice). At most
    /// <see cref="DeltasInParallel"/> deltas at a time: a flush after a large fan-out holds one per subscriber,
    /// and starting all their writes at once (tens of thousands) timed out the table's other calls.
    /// </summary>
    public Task AddCountsAsync(IReadOnlyList<CountsDelta> deltas, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            deltas,
            new ParallelOptions { MaxDegreeOfParallelism = DeltasInParallel, CancellationToken = cancellationToken },
            async (delta, token) => await Task.WhenAll(WritesOf(delta, token)));

    // Each delta is 2 to 4 writes, so about 50 requests in flight: within the SDK's default connection limit.
    private const int DeltasInParallel = 16;

    private IEnumerable<Task> WritesOf(CountsDelta delta, CancellationToken cancellationToken)
    {
        if (!delta.Counts.IsZero)
        {
            yield return _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Total(delta.Scope),
                UpdateExpression = AddCounts,
                ExpressionAttributeNames = new(CountNames),
                ExpressionAttributeValues = CountValues(delta.Counts),
            }, cancellationToken);

            var minute = StatsMinutes.Of(delta.Minute);
            var values = CountValues(delta.Counts);
            values[":ttl"] = Ttl(minute + (2 * DeliveryStats.Window));
            yield return _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Minute(delta.Scope, minute),
                UpdateExpression = "SET #ttl = :ttl " + AddCounts,
                ExpressionAttributeNames = new(CountNames) { ["#ttl"] = TimeToLive },
                ExpressionAttributeValues = values,
            }, cancellationToken);
        }

        if (delta.LastSuccess is { } success)
        {
            yield return MoveForwardAsync(delta.Scope, LastSuccessAt, LastSuccessError, success, cancellationToken);
        }

        if (delta.LastFailure is { } failure)
        {
            yield return MoveForwardAsync(delta.Scope, LastFailureAt, LastFailureError, failure, cancellationToken);
        }

        if (delta.LastSuccess is not null || delta.LastFailure is not null)
        {
            yield return MoveFailingSinceAsync(delta.Scope, delta.LastSuccess?.At, delta.LastFailure?.At, cancellationToken);
        }
    }

    /// <summary>
    /// A success later than the run of failures' start ends it (a conditional REMOVE); then a failure later
    /// than that success starts a run unless one is going on (<c>if_not_exists</c>). In that order, in one task.
    /// </summary>
    private async Task MoveFailingSinceAsync(StatsScope scope, DateTimeOffset? success, DateTimeOffset? failure, CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string> { ["#since"] = DeliveryKeys.FailingSince };
        if (success is { } successAt)
        {
            try
            {
                await _client.UpdateItemAsync(new UpdateItemRequest
                {
                    TableName = _table,
                    Key = Total(scope),
                    UpdateExpression = "REMOVE #since",
                    ConditionExpression = "#since < :at",
                    ExpressionAttributeNames = new(names),
                    ExpressionAttributeValues = new() { [":at"] = Time(successAt) },
                }, cancellationToken);
            }
            catch (ConditionalCheckFailedException)
            {
                // No run of failures, or one that began after this success.
            }
        }

        if (failure is { } failureAt && (success is null || failureAt > success))
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Total(scope),
                UpdateExpression = "SET #since = if_not_exists(#since, :at)",
                ExpressionAttributeNames = new(names),
                ExpressionAttributeValues = new() { [":at"] = Time(failureAt) },
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Sets a last outcome only when it is later than the stored one. A separate write from the counts' ADD,
    /// which must apply whatever the times: the condition failing means a later outcome is already there.
    /// </summary>
    private async Task MoveForwardAsync(StatsScope scope, string atName, string errorName, LastOutcome outcome, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":at"] = Time(outcome.At) };
        string update;
        if (outcome.Error is { } error)
        {
            values[":error"] = S(error);
            update = "SET #at = :at, #error = :error";
        }
        else
        {
            update = "SET #at = :at REMOVE #error";
        }

        try
        {
            await _client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = _table,
                Key = Total(scope),
                UpdateExpression = update,
                ConditionExpression = "attribute_not_exists(#at) OR #at < :at",
                ExpressionAttributeNames = new() { ["#at"] = atName, ["#error"] = errorName },
                ExpressionAttributeValues = values,
            }, cancellationToken);
        }
        catch (ConditionalCheckFailedException)
        {
            // A later outcome is stored already: it wins.
        }
    }

    public async Task<DeliveryStats> GetStatsAsync(StatsScope scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (first, last) = StatsMinutes.WindowBefore(now);
        var totalRead = _client.GetItemAsync(new GetItemRequest { TableName = _table, Key = Total(scope), ConsistentRead = true }, cancellationToken);
        var lastHour = default(DeliveryCounts);
        var request = new QueryRequest
        {
            TableName = _table,
            KeyConditionExpression = "#pk = :pk AND #sk BETWEEN :first AND :last",
            ExpressionAttributeNames = new() { ["#pk"] = Pk, ["#sk"] = Sk },
            ExpressionAttributeValues = new()
            {
                [":pk"] = S(StatsOf(scope)),
                [":first"] = S(MinuteKey(first)),
                [":last"] = S(MinuteKey(last)),
            },
            ConsistentRead = true,
        };
        do
        {
            var response = await _client.QueryAsync(request, cancellationToken);
            foreach (var bucket in response.Items ?? [])
            {
                lastHour += CountsOf(bucket);
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } more ? more : null;
        }
        while (request.ExclusiveStartKey is not null);

        if ((await totalRead).Item is not { Count: > 0 } total)
        {
            return lastHour.IsZero ? DeliveryStats.None : new DeliveryStats(default, lastHour, null, null);
        }

        return new DeliveryStats(CountsOf(total), lastHour, LastOf(total, LastSuccessAt, LastSuccessError), LastOf(total, LastFailureAt, LastFailureError))
        {
            FailingSince = total.ContainsKey(DeliveryKeys.FailingSince) ? TimeOf(total, DeliveryKeys.FailingSince) : null,
        };
    }

    public async Task DeleteStatsAsync(StatsScope scope, CancellationToken cancellationToken)
    {
        var keys = new List<WriteRequest>();
        var request = new QueryRequest
        {
            TableName = _table,
            KeyConditionExpression = "#pk = :pk",
            ProjectionExpression = "#pk, #sk",
            ExpressionAttributeNames = new() { ["#pk"] = Pk, ["#sk"] = Sk },
            ExpressionAttributeValues = new() { [":pk"] = S(StatsOf(scope)) },
            ConsistentRead = true,
        };
        do
        {
            var response = await _client.QueryAsync(request, cancellationToken);
            keys.AddRange((response.Items ?? []).Select(item => new WriteRequest(new DeleteRequest(item))));
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } more ? more : null;
        }
        while (request.ExclusiveStartKey is not null);

        await BatchWriter.WriteAsync(_client, _table, keys, cancellationToken);
    }

    private static Dictionary<string, AttributeValue> CountValues(DeliveryCounts counts) => new()
    {
        [":published"] = N(counts.Published),
        [":delivered"] = N(counts.Delivered),
        [":retried"] = N(counts.Retried),
        [":retrying"] = N(counts.Retrying),
        [":deadLettered"] = N(counts.DeadLettered),
    };

    private static DeliveryCounts CountsOf(Dictionary<string, AttributeValue> item) => new(
        Long(item, Published), Long(item, Delivered), Long(item, Retried), Long(item, Retrying), Long(item, DeadLettered));

    private static LastOutcome? LastOf(Dictionary<string, AttributeValue> item, string atName, string errorName) =>
        item.ContainsKey(atName) ? new LastOutcome(TimeOf(item, atName), StringOf(item, errorName)) : null;
}
