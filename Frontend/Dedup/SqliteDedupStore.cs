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
    private readonly SemaphoreSlim _writer = new(1, 1);
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
        return await WritingAsync(() => ClaimExclusiveAsync(key, messageId, now, cancellationToken), cancellationToken);
    }

    private async Task<DedupClaim> ClaimExclusiveAsync(string key, string messageId, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // An expired claim (a lapsed lease or a past window) is taken over in place; a live one is left and returned.
        command.CommandText = """
            INSERT INTO dedup (key, message_id, expires_at, accepted) VALUES ($key, $id, $expires, 0)
            ON CONFLICT (key) DO UPDATE SET message_id = excluded.message_id, expires_at = excluded.expires_at, accepted = 0
            WHERE dedup.expires_at <= $now;
            SELECT message_id, accepted FROM dedup WHERE key = $key;
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$expires", now + (long)_lease.TotalMilliseconds);
        DedupClaim holder;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            holder = new DedupClaim(reader.GetString(0), reader.GetInt64(1) != 0);
        }

        if (Interlocked.Increment(ref _claims) % PurgeEvery == 0)
        {
            await PurgeExpiredAsync(now, cancellationToken);
        }

        return holder;
    }

    public async Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        var expires = (_clock.GetUtcNow() + _window).ToUnixTimeMilliseconds();
        await WritingAsync(async () =>
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE dedup SET accepted = 1, expires_at = $expires WHERE key = $key AND message_id = $id";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$id", messageId);
            command.Parameters.AddWithValue("$expires", expires);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken)
    {
        await WritingAsync(async () =>
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM dedup WHERE key = $key AND message_id = $id";
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$id", messageId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    private async Task<T> WritingAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task PurgeExpiredAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
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

    public void Dispose() => _writer.Dispose();
}
