using Notify.Metadata.Model;
using static Notify.Metadata.Store.Embedded.SqliteRows;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// Subscriptions across topics in (topic, id) order: one statement on the <c>subscriptions_by_topic</c>
/// index, starting after the cursor's row, so every page is full until the last.
/// </summary>
internal sealed class SqliteSubscriptionListing(SqliteMetadataFile file, TimeProvider clock)
{
    public async Task<Page<Subscription>> ListAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = ListPosition.FromCursor(query, cursor);
        await using var connection = await file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // Only the conditions the query has, so that a topic filter is an index range, not a test per row.
        var where = new List<string> { Live };
        AddLiveAt(command, clock.GetUtcNow());
        if (query.Topic is not null)
        {
            where.Add("topic = $topic");
            command.Parameters.AddWithValue("$topic", query.Topic);
        }

        if (query.Protocol is { } protocol)
        {
            where.Add("protocol = $protocol");
            command.Parameters.AddWithValue("$protocol", StoredNames.Of(protocol));
        }

        if (query.Status is { } status)
        {
            where.Add("status = $status");
            command.Parameters.AddWithValue("$status", StoredNames.Of(status));
        }

        if (after is not null)
        {
            command.Parameters.AddWithValue("$afterTopic", after.Topic);
            if (after.LastId is null)
            {
                where.Add("topic > $afterTopic");
            }
            else
            {
                where.Add("(topic, id) > ($afterTopic, $afterId)");
                command.Parameters.AddWithValue("$afterId", after.LastId);
            }
        }

        command.CommandText = $"""
            SELECT {SubscriptionColumns} FROM subscriptions
            WHERE {string.Join(" AND ", where)}
            ORDER BY topic, id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = await ReadSubscriptionsAsync(command, cancellationToken);
        return PageCut.ToPage(items, limit, s => new ListPosition(s.Topic, s.Id).ToCursor(query));
    }
}
