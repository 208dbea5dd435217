using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notify.Shared.Storage;

namespace Notify.Frontend.Dedup;

/// <summary>
/// Dedup claims in a SQLite file. Commits survive a process crash (WAL, synchronous NORMAL): a retry
/// after a restart within the window is still recognised. Expired claims are purged as new ones arrive.
/// A claim's <c>expires_at</c> is its lease while pending and the end of the window once accepted, so
/// one comparison tells a live claim from one that may be taken over.
/// </summary>
internal sealed class SqliteDedupStore : IDedupStore, IDisposable
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

    private const int PurgeEvery = 1024;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly TimeSpan _lease;
    private readonly Lazy<Task> _schema;

    // One writer at a time inside the process. Concurrent writers would otherwise meet SQLite's busy
    // handler, which sleeps up to 100 ms per retry: measured at a tenth of the unkeyed publish rate.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // The writer's connection and its statements, kept open and prepared (used only under _writeLock):
    // opening a connection per write, with its pragmas, and compiling each statement again cost more than
    // the writes themselves, and a keyed publish makes two (claim, accept).
    private Statements? _statements;
    private int _claims;

    public SqliteDedupStore(string path, IOptions<DedupOptions> options, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _clock = clock;
        _window = options.Value.Window;
        _lease = options.Value.PendingLease;
        _schema = new Lazy<Task>(CreateSchemaAsync);
    }

    public async Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        return await WritingAsync(async statements =>
        {
            var claim = statements.Claim;
            claim.Parameters["$key"].Value = key;
            claim.Parameters["$id"].Value = messageId;
            claim.Parameters["$now"].Value = now;
            claim.Parameters["$expires"].Value = now + (long)_lease.TotalMilliseconds;
            DedupClaim holder;
            await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                holder = new DedupClaim(reader.GetString(0), reader.GetInt64(1) != 0);
            }

            if (Interlocked.Increment(ref _claims) % PurgeEvery == 0)
            {
                await PurgeExpiredAsync(statements.Connection, now, cancellationToken);
            }

            return holder;
        }, cancellationToken);
    }

    public async Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        var expires = (_clock.GetUtcNow() + _window).ToUnixTimeMilliseconds();
        await WritingAsync(statements =>
        {
            statements.Accept.Parameters["$key"].Value = key;
            statements.Accept.Parameters["$id"].Value = messageId;
            statements.Accept.Parameters["$expires"].Value = expires;
            return statements.Accept.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        await WritingAsync(statements =>
        {
            statements.Release.Parameters["$key"].Value = key;
            statements.Release.Parameters["$id"].Value = messageId;
            return statements.Release.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    private async Task<T> WritingAsync<T>(Func<Statements, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _statements ??= new Statements(await _database.OpenAsync(cancellationToken));
            return await write(_statements);
        }
        catch
        {
            // A fresh connection next time, in case this one is what broke.
            _statements?.Dispose();
            _statements = null;
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static async Task PurgeExpiredAsync(SqliteConnection connection, long now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dedup WHERE expires_at <= $now";
        command.Parameters.AddWithValue("$now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Creates the table, or gives a file of an earlier version its <c>accepted</c> column. Its claims
    /// were all accepted ones (there was no pending phase), hence the default of 1.
    /// </summary>
    private async Task CreateSchemaAsync()
    {
        await using var connection = await _database.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT count(*) FROM pragma_table_info('dedup') WHERE name = 'accepted'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            command.CommandText = "ALTER TABLE dedup ADD COLUMN accepted INTEGER NOT NULL DEFAULT 1";
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public void Dispose()
    {
        _statements?.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>A connection with the store's three statements on it; Microsoft.Data.Sqlite keeps them prepared.</summary>
    private sealed class Statements : IDisposable
    {
        public Statements(SqliteConnection connection)
        {
            Connection = connection;

            // An expired claim (a lapsed lease or a past window) is taken over in place; a live one is left and returned.
            Claim = Command("""
                INSERT INTO dedup (key, message_id, expires_at, accepted) VALUES ($key, $id, $expires, 0)
                ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at, accepted = 0
                WHERE dedup.expires_at <= $now;
                SELECT message_id, accepted FROM dedup WHERE key = $key;
                """, "$key", "$id", "$now", "$expires");
            Accept = Command("UPDATE dedup SET accepted = 1, expires_at = $expires WHERE key = $key AND message_id = $id", "$key", "$id", "$expires");
            Release = Command("DELETE FROM dedup WHERE key = $key AND message_id = $id", "$key", "$id");
        }

        public SqliteConnection Connection { get; }

        public SqliteCommand Claim { get; }

        public SqliteCommand Accept { get; }

        public SqliteCommand Release { get; }

        public void Dispose()
        {
            Claim.Dispose();
            Accept.Dispose();
            Release.Dispose();
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
}
