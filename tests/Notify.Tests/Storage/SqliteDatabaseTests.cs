using Microsoft.Data.Sqlite;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Storage;

/// <summary>
/// What the embedded store relies on from Microsoft.Data.Sqlite and the SQLite it loads, checked on the
/// library actually restored, so a package upgrade that changes any of it fails here first.
/// </summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task TheLoadedSqlite_IsTheBundledOne_3_53OrNewer()
    {
        var database = new SqliteDatabase(_directory.File("version.db"), SqliteDatabase.Durability.Normal);
        await using var connection = await database.OpenAsync();

        var version = Version.Parse((string)(await ScalarAsync(connection, "SELECT sqlite_version()"))!);

        Assert.True(version >= new Version(3, 53), $"SQLite {version} is loaded; SQLitePCLRaw.bundle_e_sqlite3 2.1.13 brings 3.53.");
        Assert.Equal(version.ToString(), connection.ServerVersion);
    }

    [Fact]
    public async Task EveryOpen_SetsWalBusyTimeoutAndItsOwnDurability_OnConnectionsFromOneSharedPool()
    {
        var path = _directory.File("queue.db");
        var full = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        var normal = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);

        // Alternating opens on one file reuse the same pooled connection: each must reset synchronous.
        foreach (var (database, synchronous) in new[] { (full, 2L), (normal, 1L), (full, 2L), (normal, 1L) })
        {
            await using var connection = await database.OpenAsync();
            Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
            Assert.Equal(synchronous, await ScalarAsync(connection, "PRAGMA synchronous"));
            Assert.Equal(10000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
            Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
        }
    }

    [Fact]
    public async Task AFailedWrite_ReportsThePrimaryResultCode_InSqliteErrorCode()
    {
        var path = _directory.File("readonly.db");
        await new SqliteDatabase(path, SqliteDatabase.Durability.Normal).ExecuteAsync("CREATE TABLE t (x INTEGER)");
        await using var readOnly = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString());
        await readOnly.OpenAsync();

        var failure = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(readOnly, "INSERT INTO t VALUES (1)"));

        // Notify tells a disk problem (answered 503) by primary codes such as SQLITE_READONLY = 8; the
        // library must not start reporting extended codes there (they are in SqliteExtendedErrorCode).
        Assert.Equal(8, failure.SqliteErrorCode);
        Assert.Equal(8, failure.SqliteExtendedErrorCode & 0xFF);
    }

    [Fact]
    public async Task BeginTransactionAsync_TakesTheWriteLockAtOnce_AsTheSchemaMigrationExpects()
    {
        var database = new SqliteDatabase(_directory.File("immediate.db"), SqliteDatabase.Durability.Normal);
        await database.ExecuteAsync("CREATE TABLE t (x INTEGER)");
        await using var holder = await database.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();

        // No statement has run in the transaction: only an immediate BEGIN holds the lock already.
        await using var other = await database.OpenAsync();
        await ScalarAsync(other, "PRAGMA busy_timeout = 0");
        await using var write = other.CreateCommand();
        write.CommandText = "INSERT INTO t VALUES (1)";
        write.CommandTimeout = 1;
        var failure = await Assert.ThrowsAsync<SqliteException>(() => write.ExecuteNonQueryAsync());

        Assert.Equal(5, failure.SqliteErrorCode); // SQLITE_BUSY, after the library's own retries for CommandTimeout
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
