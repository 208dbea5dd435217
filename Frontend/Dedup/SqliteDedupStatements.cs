using Microsoft.Data.Sqlite;

namespace Notify.Frontend.Dedup;

/// <summary>
/// The dedup writer's connection with its statements on it, created once and kept: Microsoft.Data.Sqlite
/// keeps a command's statements prepared while its text stays the same, so each write only rebinds.
/// Used by one thread at a time (<see cref="SqliteDedupStore"/>'s writer loop).
/// </summary>
internal sealed class SqliteDedupStatements : IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS dedup (
            key TEXT PRIMARY KEY,
            message_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            accepted INTEGER NOT NULL DEFAULT 1
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS dedup_by_expiry ON dedup (expires_at);
        """;

    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _holder;
    private readonly SqliteCommand _accept;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _purge;

    private SqliteDedupStatements(SqliteConnection connection)
    {
        Connection = connection;

        // An expired claim (a lapsed lease or a past window) is taken over in place; a live one is left,
        // and then RETURNING gives no row and the holder is read.
        _claim = Command("""
            INSERT INTO dedup (key, message_id, expires_at, accepted) VALUES ($key, $id, $expires, 0)
            ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at, accepted = 0
            WHERE dedup.expires_at <= $now
            RETURNING message_id
            """, "$key", "$id", "$now", "$expires");
        _holder = Command("SELECT message_id, accepted FROM dedup WHERE key = $key", "$key");
        _accept = Command("UPDATE dedup SET accepted = 1, expires_at = $expires WHERE key = $key AND message_id = $id", "$key", "$id", "$expires");
        _release = Command("DELETE FROM dedup WHERE key = $key AND message_id = $id", "$key", "$id");

        // Bounded, so a backlog of expired claims (after a long stop) is cleared a slice per group and
        // never holds the writer long; the index on expires_at finds them without a scan.
        _purge = Command("DELETE FROM dedup WHERE key IN (SELECT key FROM dedup WHERE expires_at <= $now LIMIT $limit)", "$now", "$limit");
    }

    public SqliteConnection Connection { get; }

    /// <summary>
    /// Creates the table on <paramref name="connection"/> (or gives a file of an earlier version its
    /// <c>accepted</c> column: its claims were all accepted ones, there was no pending phase, hence the
    /// default of 1), then prepares the statements on it. Takes ownership of the connection.
    /// </summary>
    public static SqliteDedupStatements Open(SqliteConnection connection)
    {
        using (var transaction = connection.BeginTransaction(deferred: false))
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = Schema;
            command.ExecuteNonQuery();
            command.CommandText = "SELECT count(*) FROM pragma_table_info('dedup') WHERE name = 'accepted'";
            if ((long)command.ExecuteScalar()! == 0)
            {
                command.CommandText = "ALTER TABLE dedup ADD COLUMN accepted INTEGER NOT NULL DEFAULT 1";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return new SqliteDedupStatements(connection);
    }

    public DedupClaim Claim(SqliteTransaction transaction, string key, string messageId, long now, long expires)
    {
        _claim.Transaction = transaction;
        _claim.Parameters["$key"].Value = key;
        _claim.Parameters["$id"].Value = messageId;
        _claim.Parameters["$now"].Value = now;
        _claim.Parameters["$expires"].Value = expires;
        if (_claim.ExecuteScalar() is not null)
        {
            return DedupClaim.Pending(messageId);
        }

        _holder.Transaction = transaction;
        _holder.Parameters["$key"].Value = key;
        using var reader = _holder.ExecuteReader();
        reader.Read();
        return new DedupClaim(reader.GetString(0), reader.GetInt64(1) != 0);
    }

    public void Accept(SqliteTransaction transaction, string key, string messageId, long expires)
    {
        _accept.Transaction = transaction;
        _accept.Parameters["$key"].Value = key;
        _accept.Parameters["$id"].Value = messageId;
        _accept.Parameters["$expires"].Value = expires;
        _accept.ExecuteNonQuery();
    }

    public void Release(SqliteTransaction transaction, string key, string messageId)
    {
        _release.Transaction = transaction;
        _release.Parameters["$key"].Value = key;
        _release.Parameters["$id"].Value = messageId;
        _release.ExecuteNonQuery();
    }

    /// <summary>Deletes up to <paramref name="limit"/> claims that expired at or before <paramref name="now"/>.</summary>
    public void PurgeExpired(SqliteTransaction transaction, long now, int limit)
    {
        _purge.Transaction = transaction;
        _purge.Parameters["$now"].Value = now;
        _purge.Parameters["$limit"].Value = limit;
        _purge.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _claim.Dispose();
        _holder.Dispose();
        _accept.Dispose();
        _release.Dispose();
        _purge.Dispose();
        Connection.Dispose();
    }

    private SqliteCommand Command(string text, params string[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = text;
        foreach (var name in parameters)
        {
            // No declared type: each value binds as what it is (text keys and ids, integer times).
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}
