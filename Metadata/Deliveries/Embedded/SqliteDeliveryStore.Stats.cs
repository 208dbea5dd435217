using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Notify.Metadata.Deliveries.Embedded;

/// <summary>The stats of <see cref="SqliteDeliveryStore"/>: <c>stats_totals</c>, one row a scope, and <c>stats_minutes</c>, one row a scope and minute.</summary>
public sealed partial class SqliteDeliveryStore
{
    // A flush of a large fan-out holds a row per subscriber: the rows go in as one JSON array a batch, which
    // SQLite unpacks itself (json_each), since binding each value of each row from .NET cost more than the
    // writes (and allocated more than the deliveries). Row fields: s scope, p published, d delivered,
    // r retried, w retrying, x dead-lettered, m minute, and the last outcomes sa/se (success), fa/fe (failure).
    private const string RowsSource = """
        SELECT j.value ->> 's' AS scope, j.value ->> 'm' AS minute,
            j.value ->> 'p' AS published, j.value ->> 'd' AS delivered, j.value ->> 'r' AS retried,
            j.value ->> 'w' AS retrying, j.value ->> 'x' AS dead_lettered,
            j.value ->> 'sa' AS success_at, j.value ->> 'se' AS success_error,
            j.value ->> 'fa' AS failure_at, j.value ->> 'fe' AS failure_error
        FROM json_each($rows) AS j
        """;

    // Later wins: a flush of an older process that arrives after a newer one never moves a time back.
    // (WHERE true: SQLite's rule for an upsert whose rows come from a SELECT.)
    private const string AddTotals = $"""
        INSERT INTO stats_totals (scope, published, delivered, retried, retrying, dead_lettered,
            last_success_at, last_success_error, last_failure_at, last_failure_error, failing_since)
        SELECT scope, published, delivered, retried, retrying, dead_lettered,
            success_at, success_error, failure_at, failure_error,
            CASE WHEN failure_at > coalesce(success_at, -1) THEN failure_at END
        FROM ({RowsSource}) WHERE true
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
                WHEN excluded.last_failure_at > coalesce(excluded.last_success_at, -1)
                    THEN CASE WHEN failing_since IS NOT NULL AND coalesce(excluded.last_success_at, -1) <= failing_since THEN failing_since ELSE excluded.last_failure_at END
                -- A success after the run began ends it.
                WHEN excluded.last_success_at > coalesce(failing_since, -1) THEN NULL
                ELSE failing_since END
        """;

    private const string AddMinutes = $"""
        INSERT INTO stats_minutes (scope, minute, published, delivered, retried, retrying, dead_lettered)
        SELECT scope, minute, published, delivered, retried, retrying, dead_lettered
        FROM ({RowsSource})
        WHERE published <> 0 OR delivered <> 0 OR retried <> 0 OR retrying <> 0 OR dead_lettered <> 0
        ON CONFLICT (scope, minute) DO UPDATE SET
            published = published + excluded.published,
            delivered = delivered + excluded.delivered,
            retried = retried + excluded.retried,
            retrying = retrying + excluded.retrying,
            dead_lettered = dead_lettered + excluded.dead_lettered
        """;

    // Rows per statement: large enough that the per-statement cost vanishes, small enough for a modest buffer.
    private const int RowsPerBatch = 1000;

    /// <summary>One transaction for the whole flush: it is added entirely or not at all.</summary>
    public async Task AddCountsAsync(IReadOnlyList<CountsDelta> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var totals = RowsCommand(connection, transaction, AddTotals);
        await using var minutes = RowsCommand(connection, transaction, AddMinutes);
        var rowsInKeyOrder = InKeyOrder(deltas);
        var buffer = new ArrayBufferWriter<byte>(RowsPerBatch * 160);
        for (var first = 0; first < rowsInKeyOrder.Length; first += RowsPerBatch)
        {
            buffer.ResetWrittenCount();
            WriteRows(buffer, rowsInKeyOrder.AsSpan(first, Math.Min(RowsPerBatch, rowsInKeyOrder.Length - first)));
            var rows = Encoding.UTF8.GetString(buffer.WrittenSpan);
            totals.Parameters[0].Value = rows;
            minutes.Parameters[0].Value = rows;
            await totals.ExecuteNonQueryAsync(cancellationToken);
            await minutes.ExecuteNonQueryAsync(cancellationToken);
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

    private static SqliteCommand RowsCommand(SqliteConnection connection, SqliteTransaction transaction, string text)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        command.Parameters.Add(new SqliteParameter("$rows", SqliteType.Text));
        command.Prepare();
        return command;
    }

    /// <summary>
    /// The deltas sorted as the tables' keys are (scope, then minute): upserts in key order walk each B-tree
    /// once, while in the order deliveries ended (a fan-out's, roughly shuffled) each one seeks a page that
    /// is often out of SQLite's cache. 100,000 shuffled rows took 2.6–4 s of CPU, sorted 1.1–1.2 s.
    /// </summary>
    private static (string Scope, CountsDelta Delta)[] InKeyOrder(IReadOnlyList<CountsDelta> deltas)
    {
        var rows = new (string Scope, CountsDelta Delta)[deltas.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = (deltas[i].Scope.ToString(), deltas[i]);
        }

        Array.Sort(rows, static (a, b) =>
        {
            var byScope = string.CompareOrdinal(a.Scope, b.Scope);
            return byScope != 0 ? byScope : a.Delta.Minute.CompareTo(b.Delta.Minute);
        });
        return rows;
    }

    private static void WriteRows(ArrayBufferWriter<byte> buffer, ReadOnlySpan<(string Scope, CountsDelta Delta)> rows)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        foreach (var (scope, delta) in rows)
        {
            json.WriteStartObject();
            json.WriteString("s", scope);
            json.WriteNumber("m", StatsMinutes.Of(delta.Minute).ToUnixTimeMilliseconds());
            json.WriteNumber("p", delta.Counts.Published);
            json.WriteNumber("d", delta.Counts.Delivered);
            json.WriteNumber("r", delta.Counts.Retried);
            json.WriteNumber("w", delta.Counts.Retrying);
            json.WriteNumber("x", delta.Counts.DeadLettered);
            if (delta.LastSuccess is { } success)
            {
                json.WriteNumber("sa", success.At.ToUnixTimeMilliseconds());
                json.WriteString("se", success.Error);
            }

            if (delta.LastFailure is { } failure)
            {
                json.WriteNumber("fa", failure.At.ToUnixTimeMilliseconds());
                json.WriteString("fe", failure.Error);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static DeliveryCounts ReadCounts(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
}
