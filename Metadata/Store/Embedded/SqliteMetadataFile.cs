using Microsoft.Data.Sqlite;
using Notify.Shared.Storage;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// The metadata file: connections to it, each handed out once <see cref="SqliteMetadataSchema"/> has brought
/// the file up to date (on the first open of this process), and one <see cref="SqliteGroupWriter"/> through
/// which every write goes. Commits are fsync'd.
/// </summary>
internal sealed class SqliteMetadataFile
{
    private readonly SqliteDatabase _database;
    private readonly Lazy<Task> _schema;

    public SqliteMetadataFile(string path)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _schema = new Lazy<Task>(() => SqliteMetadataSchema.ApplyAsync(_database, CancellationToken.None));
        Writer = new SqliteGroupWriter(OpenAsync);
    }

    public SqliteGroupWriter Writer { get; }

    /// <summary>A connection for reads; writes go through <see cref="WriteAsync{T}"/>.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        return await _database.OpenAsync(cancellationToken);
    }

    /// <inheritdoc cref="SqliteGroupWriter.WriteAsync{T}"/>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken) =>
        Writer.WriteAsync(write, cancellationToken);
}
