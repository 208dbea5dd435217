using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries.Embedded;

/// <summary>
/// The tables of <c>deliveries.db</c>, created when the store first opens the file. Times are Unix
/// milliseconds, but for the pace lines' (microseconds, see <see cref="Pacing.SqlitePaceStore"/>). Every expiring row has an index on its expiry, for the sweep.
/// </summary>
internal static class SqliteDeliverySchema
{
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS dead_letters (
            subscription_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            published_at INTEGER NOT NULL,
            envelope TEXT NOT NULL,
            attempts TEXT NOT NULL,
            last_error TEXT NOT NULL,
            permanent INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS dead_letters_by_expiry ON dead_letters (expires_at);
        CREATE TABLE IF NOT EXISTS retries (
            subscription_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            next_attempt INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (subscription_id, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS retries_by_message ON retries (message_id);
        CREATE INDEX IF NOT EXISTS retries_by_next_attempt ON retries (subscription_id, next_attempt_at);
        CREATE INDEX IF NOT EXISTS retries_by_expiry ON retries (expires_at);
        CREATE TABLE IF NOT EXISTS message_outcomes (
            message_id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            published_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            subscribers INTEGER NOT NULL,
            delivered INTEGER NOT NULL,
            retrying INTEGER NOT NULL,
            dead_lettered INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS message_outcomes_by_expiry ON message_outcomes (expires_at);
        CREATE TABLE IF NOT EXISTS stats_totals (
            scope TEXT PRIMARY KEY,
            published INTEGER NOT NULL,
            delivered INTEGER NOT NULL,
            retried INTEGER NOT NULL,
            retrying INTEGER NOT NULL,
            dead_lettered INTEGER NOT NULL,
            last_success_at INTEGER,
            last_success_error TEXT,
            last_failure_at INTEGER,
            last_failure_error TEXT,
            failing_since INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS stats_minutes (
            scope TEXT NOT NULL,
            minute INTEGER NOT NULL,
            published INTEGER NOT NULL,
            delivered INTEGER NOT NULL,
            retried INTEGER NOT NULL,
            retrying INTEGER NOT NULL,
            dead_lettered INTEGER NOT NULL,
            PRIMARY KEY (scope, minute)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS stats_minutes_by_minute ON stats_minutes (minute);
        CREATE TABLE IF NOT EXISTS pace_lines (
            line TEXT PRIMARY KEY,
            next_turn INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS pace_lines_by_expiry ON pace_lines (expires_at);
        CREATE TABLE IF NOT EXISTS fan_outs (
            message_id TEXT PRIMARY KEY,
            after TEXT NOT NULL,
            pages INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS fan_outs_by_expiry ON fan_outs (expires_at);
        CREATE TABLE IF NOT EXISTS retained_messages (
            topic TEXT NOT NULL,
            message_id TEXT NOT NULL,
            published_at INTEGER NOT NULL,
            envelope TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (topic, message_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS retained_messages_by_expiry ON retained_messages (expires_at);
        """;

    public static Task ApplyAsync(SqliteDatabase database, CancellationToken cancellationToken) =>
        database.ExecuteAsync(Tables, cancellationToken);
}
