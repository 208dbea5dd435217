using Microsoft.Data.Sqlite;
using Notify.Shared.Links;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// Files written before link tokens were derived hold each subscription's random tokens in plain text
/// (<c>confirm_token</c>, <c>unsubscribe_token</c>). Opening such a file replaces them by their SHA-256, in
/// the schema's transaction: the links already sent keep working, and the file holds no usable token.
/// </summary>
internal static class SqliteTokenHashes
{
    public const string PlainConfirmColumn = "confirm_token";
    private const string PlainUnsubscribeColumn = "unsubscribe_token";

    /// <summary>The hash columns, added to both subscription tables of older files (nullable: null for derived tokens).</summary>
    public static (string Table, string Name, string Type)[] Columns(string table) =>
    [
        (table, "confirm_token_hash", "TEXT"),
        (table, "unsubscribe_token_hash", "TEXT"),
    ];

    /// <summary>
    /// Hashes the plain tokens of every row of <paramref name="table"/> into its hash columns, then drops the
    /// plain columns. The caller empties the write-ahead log once committed (<see cref="ForgetOldPagesAsync"/>).
    /// </summary>
    public static async Task ReplacePlainTokensAsync(SqliteConnection connection, SqliteTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, string Confirm, string Unsubscribe)>();
        await using (var select = Command(connection, transaction, $"SELECT id, {PlainConfirmColumn}, {PlainUnsubscribeColumn} FROM {table}"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        await using (var update = Command(connection, transaction,
            $"UPDATE {table} SET confirm_token_hash = $confirm, unsubscribe_token_hash = $unsubscribe WHERE id = $id"))
        {
            var id = update.Parameters.Add("$id", SqliteType.Text);
            var confirm = update.Parameters.Add("$confirm", SqliteType.Text);
            var unsubscribe = update.Parameters.Add("$unsubscribe", SqliteType.Text);
            foreach (var row in rows)
            {
                id.Value = row.Id;
                confirm.Value = LinkTokens.Hash(row.Confirm);
                unsubscribe.Value = LinkTokens.Hash(row.Unsubscribe);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        // Pages the rewritten rows leave free are zeroed, or the plain tokens would stay readable in the file.
        await using (var secure = Command(connection, transaction, "PRAGMA secure_delete = ON"))
        {
            await secure.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var column in new[] { PlainConfirmColumn, PlainUnsubscribeColumn })
        {
            await using var drop = Command(connection, transaction, $"ALTER TABLE {table} DROP COLUMN {column}");
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Copies the log into the file and truncates it: the log's older frames still hold the pages as they
    /// were before the plain tokens were dropped. Best effort: with a reader active the log stays, and its
    /// frames are overwritten as it is reused.
    /// </summary>
    public static async Task ForgetOldPagesAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
