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
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS topics (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
            protocol TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            status TEXT NOT NULL,
            confirm_token TEXT NOT NULL,
            unsubscribe_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            confirmed_at INTEGER,
            delivery_error_code TEXT,
            delivery_error_detail TEXT,
            delivery_error_at INTEGER,
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (topic, id);
        CREATE TABLE IF NOT EXISTS sms_opt_outs (
            phone_number TEXT PRIMARY KEY,
            opted_out_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>
    /// Columns of <c>subscriptions</c> that files of earlier versions lack (the CREATE TABLE above is
    /// skipped for them). Nullable, as SQLite requires of a column added without a default: existing rows
    /// read null, which is what they mean (no delivery error yet).
    /// </summary>
    private static readonly (string Name, string Type)[] AddedSubscriptionColumns =
    [
        ("delivery_error_code", "TEXT"),
        ("delivery_error_detail", "TEXT"),
        ("delivery_error_at", "INTEGER"),
    ];

    public static async Task ApplyAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // An immediate transaction (Microsoft.Data.Sqlite's default) takes the write lock before reading
        // the columns: a Sender process opening the same old file at the same moment waits, then finds the
        // columns added, instead of both adding them and the second failing.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, Tables, cancellationToken);

        var present = await SubscriptionColumnsAsync(connection, transaction, cancellationToken);
        foreach (var (name, type) in AddedSubscriptionColumns)
        {
            if (!present.Contains(name))
            {
                await ExecuteAsync(connection, transaction, $"ALTER TABLE subscriptions ADD COLUMN {name} {type}", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<HashSet<string>> SubscriptionColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info('subscriptions')";
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
