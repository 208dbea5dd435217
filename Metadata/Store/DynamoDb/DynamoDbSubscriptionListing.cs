using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Subscriptions across topics, never by Scan: the topics in name order from the global index
/// <c>topics-by-name</c> (so, like the topic list, eventually consistent), and each topic's partition queried
/// in creation order with the query's fields and the expiry rule as a filter.
/// </summary>
/// <remarks>
/// A filter drops items only after they were read and paid for, so one call reads at most a budget of
/// items (topics and subscriptions): a page filled from the first topics costs about the page, and a query
/// matching few subscriptions among many returns what it found once the budget is spent, with a cursor
/// where it stopped. Each query asks for what the page still needs, or at least a batch when the query
/// filters by protocol or status and most items read may be dropped.
/// </remarks>
internal sealed class DynamoDbSubscriptionListing(MetadataTable table, TimeProvider clock, int readBudget = DynamoDbSubscriptionListing.DefaultReadBudget)
{
    /// <summary>About 1,000 items of ~0.5 KB: what a single 1 MB query page could hold, read at most per call.</summary>
    public const int DefaultReadBudget = 1000;

    private const int TopicsPerQuery = 50;
    private const int FilteredBatch = 100;

    public async Task<Page<Subscription>> ListAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var start = ListPosition.FromCursor(query, cursor);
        var now = clock.GetUtcNow();
        var want = limit + 1;
        var found = new List<Subscription>();
        var budget = readBudget;
        await foreach (var topic in TopicsAsync(query.Topic, start, cancellationToken))
        {
            budget--;
            var name = topic.Topic.Name;
            var request = DynamoDbSubscriptions.PartitionQuery(topic, start?.Topic == name ? start.LastId : null);
            Filter(request, query, now);
            do
            {
                request.Limit = Math.Max(1, Math.Min(budget, Batch(query, want - found.Count)));
                var response = await table.QueryPageAsync(request, cancellationToken);
                budget -= response.ScannedCount ?? 0;
                found.AddRange((response.Items ?? []).Select(ReadSubscription));
                request.ExclusiveStartKey = response.LastEvaluatedKey;
                if (found.Count >= want)
                {
                    return PageCut.ToPage(found, limit, s => new ListPosition(s.Topic, s.Id).ToCursor(query));
                }

                if (budget <= 0)
                {
                    var stoppedAt = request.ExclusiveStartKey is { Count: > 0 } next
                        ? new ListPosition(name, next[MetadataKeys.SubscriptionId].S)
                        : new ListPosition(name, null);
                    return new Page<Subscription>(found, stoppedAt.ToCursor(query));
                }
            }
            while (request.ExclusiveStartKey is { Count: > 0 });
        }

        return new Page<Subscription>(found, null);
    }

    /// <summary>The topics from <paramref name="start"/> on, in name order: just <paramref name="name"/> when the query names one.</summary>
    private async IAsyncEnumerable<StoredTopic> TopicsAsync(string? name, ListPosition? start, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (name is not null)
        {
            // A cursor of a one-topic listing stops inside that topic, or after all of it.
            if ((start is null || start.LastId is not null) && await table.GetTopicAsync(name, cancellationToken) is { } topic)
            {
                yield return topic;
            }

            yield break;
        }

        var request = new QueryRequest
        {
            IndexName = MetadataKeys.TopicsByName,
            KeyConditionExpression = "#list = :all",
            ExpressionAttributeNames = new() { ["#list"] = MetadataKeys.TopicList },
            ExpressionAttributeValues = new() { [":all"] = S(MetadataKeys.AllTopics) },
            Limit = TopicsPerQuery,
        };
        if (start is not null)
        {
            // A cursor inside a topic resumes that topic; one after a whole topic, the next.
            request.KeyConditionExpression += start.LastId is null ? " AND #name > :from" : " AND #name >= :from";
            request.ExpressionAttributeNames["#name"] = MetadataKeys.TopicName;
            request.ExpressionAttributeValues[":from"] = S(start.Topic);
        }

        do
        {
            var response = await table.QueryPageAsync(request, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                yield return ReadTopic(item);
            }

            request.ExclusiveStartKey = response.LastEvaluatedKey;
        }
        while (request.ExclusiveStartKey is { Count: > 0 });
    }

    private static void Filter(QueryRequest request, SubscriptionQuery query, DateTimeOffset now)
    {
        request.FilterExpression = LiveSubscription.Condition;
        LiveSubscription.Bind(request.ExpressionAttributeNames, request.ExpressionAttributeValues, now);
        if (query.Protocol is { } protocol)
        {
            request.FilterExpression += " AND #protocol = :protocol";
            request.ExpressionAttributeNames["#protocol"] = MetadataKeys.Protocol;
            request.ExpressionAttributeValues[":protocol"] = S(StoredNames.Of(protocol));
        }

        if (query.Status is { } status)
        {
            request.FilterExpression += " AND #status = :status";
            request.ExpressionAttributeValues[":status"] = S(StoredNames.Of(status));
        }
    }

    private static int Batch(SubscriptionQuery query, int needed) =>
        query.Protocol is null && query.Status is null ? needed : Math.Max(needed, FilteredBatch);
}
