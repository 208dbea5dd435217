using Notify.Metadata.Deliveries.Embedded;
using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries.Pacing;

/// <summary>
/// The pace of Embedded mode: one row per line in <c>deliveries.db</c>'s <c>pace_lines</c> (times in Unix microseconds), so a Frontend's
/// Sender and standalone Senders on the same data directory keep one pace. A turn is one upsert, atomic under
/// SQLite's write lock. Not fsync'd: a line lost to a power cut only lets one turn come early.
/// </summary>
public sealed class SqlitePaceStore : IPaceStore
{
    /// <summary>How long an idle line is kept after its next turn: past that, the next turn is "now" anyway.</summary>
    public static readonly TimeSpan IdleLineKept = TimeSpan.FromHours(1);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;
    private readonly Lazy<Task> _schema;

    /// <param name="path">The file (<c>deliveries.db</c>); its folder must exist.</param>
    public SqlitePaceStore(string path, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _clock = clock;
        _schema = new(() => SqliteDeliverySchema.ApplyAsync(_database, CancellationToken.None));
    }

    public async Task<DateTimeOffset> TakeTurnAsync(string line, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        await _schema.Value.WaitAsync(cancellationToken);
        var now = PaceTime.Micros(_clock.GetUtcNow());
        var step = PaceTime.Step(interval);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO pace_lines (line, next_turn, expires_at) VALUES ($line, $now + $step, $now + $step + $kept)
            ON CONFLICT (line) DO UPDATE SET
                next_turn = max(next_turn, $now) + $step,
                expires_at = max(next_turn, $now) + $step + $kept
            RETURNING next_turn
            """;
        command.Parameters.AddWithValue("$line", line);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$step", step);
        command.Parameters.AddWithValue("$kept", PaceTime.Step(IdleLineKept));
        var next = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return PaceTime.FromMicros(next - step);
    }
}
