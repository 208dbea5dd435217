using Microsoft.Data.Sqlite;

namespace Notify.Shared.Storage;

/// <summary>
/// One SQLite file of the embedded store. Every connection runs in WAL mode so readers never block the
/// writer, and waits for a busy lock instead of failing, because a Sender process may share the file.
/// The file is created owner-only before SQLite first opens it (<see cref="OwnerOnly.PrepareDatabaseFile"/>).
/// </summary>
public sealed class SqliteDatabase
{
    private static readonly Lazy<bool> NativeLibrary = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string _connectionString;
    private readonly Durability _durability;
    private int _filePrepared;

    /// <param name="path">The database file; its folder must exist.</param>
    /// <param name="durability">
    /// <see cref="Durability.Full"/> fsyncs the write-ahead log on every commit (what a 202 promises);
    /// <see cref="Durability.Normal"/> survives a process crash but not a power cut.
    /// </param>
    public SqliteDatabase(string path, Durability durability)
    {
        _ = NativeLibrary.Value;
        Path = path;
        _durability = durability;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public enum Durability
    {
        Normal,
        Full,
    }

    /// <summary>
    /// Opens a connection with the file's pragmas applied. They are set on every open, not once: two
    /// instances on one file with different durability (the queue's) share one connection pool, so a
    /// pooled connection may come back with the other instance's synchronous setting.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _filePrepared, 1) == 0)
        {
            OwnerOnly.PrepareDatabaseFile(Path);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = {(_durability == Durability.Full ? "FULL" : "NORMAL")};
                PRAGMA busy_timeout = 10000;
                PRAGMA foreign_keys = ON;
                """;
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs DDL (idempotent statements such as CREATE TABLE IF NOT EXISTS).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
