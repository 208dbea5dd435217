using Microsoft.Data.Sqlite;

namespace Notify.Metadata.Deliveries.Embedded;

/// <summary>The stats of <see cref="SqliteDeliveryStore"/>: <c>stats_totals</c>, one row a scope, and <c>stats_minutes</c>, one row a scope and minute.</summary>
public sealed partial class SqliteDeliveryStore
{
    // Later wins: a flush of an older process that arrives after a newer one never moves a time back.
    private const string AddTotals = """
        INSERT INTO stats_totals (scope, published, delivered, retried, retrying, dead_lettered,
            last_success_at, last_success_error, last_failure_at, last_failure_error, failing_since)
        VALUES ($scope, $published, $delivered, $retried, $retrying, $deadLettered,
            $successAt, $successError, $failureAt, $failureError,
            CASE WHEN $failureAt > coalesce($successAt, -1) THEN $failureAt END)
        ON CONFLICT (scope) DO UPDATE SET
            published = published + excluded.published,
            delivered = delivered + excluded.delivered,
            retried = retried + excluded.retried,
            retrying = retrying + excluded.retrying,
            dead_lettered = dead_lettered + excluded.dead_lettered,
            last_success_at = CASE WHEN excluded.last_success_at > coalesce(last_success_at, -1) THEN excluded.last_success_at ELSE last_success_at END,
            last_success_error = CASE WHEN excluded.last_success_at > coalesce(last_success_at, -1) THEN excluded.last_success_error ELSE last_success_error END,
            last_failure_at = CASE WHEN excluded.last_failure_at > coalesce(last_failure_at, -1) THEN excluded.last_failure_at ELSE last_failure_at END,
            last_failure_error = CASE WHEN excluded.last_failure_at > coalesce(last_failure_at, -1) THEN excluded.last_failure_error ELSE last_failure_error END,
            failing_since = CASE
                -- A failure after the delta's success: the run goes on, or starts (a success older than the run does not end it).
                WHEN $failureAt > coalesce($successAt, -1)
                    THEN CASE WHEN failing_since IS NOT NULL AND coalesce($successAt, -1) <= failing_since THEN failing_since ELSE $failureAt END
                -- A success after the run began ends it.
                WHEN $successAt > coalesce(failing_since, -1) THEN NULL
                ELSE failing_since END
        """;

    private const string AddMinute = """
        INSERT INTO stats_minutes (scope, minute, published, delivered, retried, retrying, dead_lettered)
        VALUES ($scope, $minute, $published, $delivered, $retried, $retrying, $deadLettered)
        ON CONFLICT (scope, minute) DO UPDATE SET
            published = published + excluded.published,
            delivered = delivered + excluded.delivered,
            retried = retried + excluded.retried,
            retrying = retrying + excluded.retrying,
            dead_lettered = dead_lettered + excluded.dead_lettered
        """;

    /// <summary>One transaction for the whole flush: it is added entirely or not at all.</summary>
    public async Task AddCountsAsync(IReadOnlyList<CountsDelta> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var delta in deltas)
        {
            await using (var totals = connection.CreateCommand())
            {
                totals.Transaction = transaction;
                totals.CommandText = AddTotals;
                AddCountParameters(totals, delta);
                totals.Parameters.AddWithValue("$successAt", (object?)delta.LastSuccess?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);
                totals.Parameters.AddWithValue("$successError", (object?)delta.LastSuccess?.Error ?? DBNull.Value);
                totals.Parameters.AddWithValue("$failureAt", (object?)delta.LastFailure?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);
                totals.Parameters.AddWithValue("$failureError", (object?)delta.LastFailure?.Error ?? DBNull.Value);
                await totals.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!delta.Counts.IsZero)
            {
                await using var minute = connection.CreateCommand();
                minute.Transaction = transaction;
                minute.CommandText = AddMinute;
                AddCountParameters(minute, delta);
                minute.Parameters.AddWithValue("$minute", StatsMinutes.Of(delta.Minute).ToUnixTimeMilliseconds());
                await minute.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<DeliveryStats> GetStatsAsync(StatsScope scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var (first, last) = StatsMinutes.WindowBefore(now);
        command.CommandText = """
            SELECT published, delivered, retried, retrying, dead_lettered,
                last_success_at, last_success_error, last_failure_at, last_failure_error, failing_since
            FROM stats_totals WHERE scope = $scope;
            SELECT coalesce(sum(published), 0), coalesce(sum(delivered), 0), coalesce(sum(retried), 0),
                coalesce(sum(retrying), 0), coalesce(sum(dead_lettered), 0)
            FROM stats_minutes WHERE scope = $scope AND minute BETWEEN $first AND $last;
            """;
        command.Parameters.AddWithValue("$scope", scope.ToString());
        command.Parameters.AddWithValue("$first", first.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$last", last.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return DeliveryStats.None;
        }

        var total = ReadCounts(reader);
        var success = reader.IsDBNull(5) ? null : new LastOutcome(Time(reader.GetInt64(5)), reader.IsDBNull(6) ? null : reader.GetString(6));
        var failure = reader.IsDBNull(7) ? null : new LastOutcome(Time(reader.GetInt64(7)), reader.IsDBNull(8) ? null : reader.GetString(8));
        DateTimeOffset? failingSince = reader.IsDBNull(9) ? null : Time(reader.GetInt64(9));
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new DeliveryStats(total, ReadCounts(reader), success, failure) { FailingSince = failingSince };
    }

    public async Task DeleteStatsAsync(StatsScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM stats_totals WHERE scope = $scope;
            DELETE FROM stats_minutes WHERE scope = $scope;
            """;
        command.Parameters.AddWithValue("$scope", scope.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddCountParameters(SqliteCommand command, CountsDelta delta)
    {
        command.Parameters.AddWithValue("$scope", delta.Scope.ToString());
        command.Parameters.AddWithValue("$published", delta.Counts.Published);
        command.Parameters.AddWithValue("$delivered", delta.Counts.Delivered);
        command.Parameters.AddWithValue("$retried", delta.Counts.Retried);
        command.Parameters.AddWithValue("$retrying", delta.Counts.Retrying);
        command.Parameters.AddWithValue("$deadLettered", delta.Counts.DeadLettered);
    }

    private static DeliveryCounts ReadCounts(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
}
