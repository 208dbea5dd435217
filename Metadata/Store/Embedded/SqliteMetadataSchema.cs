using Microsoft.Data.Sqlite;
using Notify.Shared.Storage;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// The metadata file's tables, brought up to date when the store first opens it: tables added since a
/// file was created are created, columns added since are added. No version number is kept: what is there
/// is read from the file itself (<c>pragma table_info</c>), so a file is right whichever version made it.
/// </summary>
internal static class SqliteMetadataSchema
{
    /// <summary>
    /// The columns of a subscription after its id and topic, in <c>subscriptions</c> and in the tombstones
    /// of <c>deleted_subscriptions</c> alike. A column added here must be added to both tables of older
    /// files (<see cref="AddedColumns"/>).
    /// </summary>
    private const string SubscriptionFields = """
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        status TEXT NOT NULL,
        confirm_token_hash TEXT,
        unsubscribe_token_hash TEXT,
        created_at INTEGER NOT NULL,
        confirmed_at INTEGER,
        delivery_error_code TEXT,
        delivery_error_detail TEXT,
        delivery_error_at INTEGER,
        filter_policy TEXT,
        expires_at INTEGER,
        retry_seconds TEXT,
        max_per_second REAL,
        disabled_code TEXT,
        disabled_detail TEXT,
        disabled_at INTEGER,
        signing_secrets TEXT
        """;

    private const string Tables = $"""
        CREATE TABLE IF NOT EXISTS topics (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            display_name TEXT,
            retention_seconds INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
            {SubscriptionFields},
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (topic, id);
        CREATE TABLE IF NOT EXISTS sms_opt_outs (
            phone_number TEXT PRIMARY KEY,
            opted_out_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS deleted_subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            {SubscriptionFields},
            deleted_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS deleted_subscriptions_by_time ON deleted_subscriptions (deleted_at);
        CREATE TABLE IF NOT EXISTS api_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            permissions TEXT NOT NULL,
            topics TEXT NOT NULL,
            publish_per_second REAL,
            publish_burst INTEGER,
            requests_per_second REAL,
            requests_burst INTEGER,
            created_at INTEGER NOT NULL,
            expires_at INTEGER
        ) WITHOUT ROWID;
        """;

    /// <summary>Indexes on columns that files of earlier versions gain only once the columns are added.</summary>
    private const string IndexesOfAddedColumns = """
        CREATE INDEX IF NOT EXISTS subscriptions_by_expiry ON subscriptions (expires_at) WHERE expires_at IS NOT NULL;
        """;

    /// <summary>
    /// Columns that files of earlier versions lack (the CREATE TABLE above is skipped for them). Nullable,
    /// as SQLite requires of a column added without a default: existing rows read null, which is what they
    /// mean (no delivery error yet, no display name, no retention, no filter policy, no expiry, no delivery policy, not
    /// disabled, no signing secrets: a webhook made before deliveries were signed). The tombstone table is newer than the first of them, so only the later ones (delivery
    /// policy, disabled reason, token hashes, signing secrets) are added to it as well.
    /// </summary>
    private static readonly (string Table, string Name, string Type)[] AddedColumns =
    [
        ("subscriptions", "delivery_error_code", "TEXT"),
        ("subscriptions", "delivery_error_detail", "TEXT"),
        ("subscriptions", "delivery_error_at", "INTEGER"),
        ("subscriptions", "filter_policy", "TEXT"),
        ("subscriptions", "expires_at", "INTEGER"),
        ("topics", "display_name", "TEXT"),
        ("topics", "retention_seconds", "INTEGER"),
        .. SubscriptionColumnsOfDeliveryState("subscriptions"),
        .. SubscriptionColumnsOfDeliveryState("deleted_subscriptions"),
        .. SqliteTokenHashes.Columns("subscriptions"),
        .. SqliteTokenHashes.Columns("deleted_subscriptions"),
        ("subscriptions", "signing_secrets", "TEXT"),
        ("deleted_subscriptions", "signing_secrets", "TEXT"),
    ];

    /// <summary>The columns of a subscription's delivery policy and disabled reason, added to both of its tables.</summary>
    private static (string Table, string Name, string Type)[] SubscriptionColumnsOfDeliveryState(string table) =>
    [
        (table, "retry_seconds", "TEXT"),
        (table, "max_per_second", "REAL"),
        (table, "disabled_code", "TEXT"),
        (table, "disabled_detail", "TEXT"),
        (table, "disabled_at", "INTEGER"),
    ];

    public static async Task ApplyAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // An immediate transaction (Microsoft.Data.Sqlite's default) takes the write lock before reading
        // the columns: a Sender process opening the same old file at the same moment waits, then finds the
        // columns added, instead of both adding them and the second failing.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, Tables, cancellationToken);

        var plainTokensReplaced = false;
        foreach (var table in AddedColumns.Select(c => c.Table).Distinct())
        {
            var present = await ColumnsAsync(connection, transaction, table, cancellationToken);
            foreach (var (_, name, type) in AddedColumns.Where(c => c.Table == table && !present.Contains(c.Name)))
            {
                await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} ADD COLUMN {name} {type}", cancellationToken);
            }

            if (present.Contains(SqliteTokenHashes.PlainConfirmColumn))
            {
                await SqliteTokenHashes.ReplacePlainTokensAsync(connection, transaction, table, cancellationToken);
                plainTokensReplaced = true;
            }
        }

        await ExecuteAsync(connection, transaction, IndexesOfAddedColumns, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (plainTokensReplaced)
        {
            await SqliteTokenHashes.ForgetOldPagesAsync(connection, cancellationToken);
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
