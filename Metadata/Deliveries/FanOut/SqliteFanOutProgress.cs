using Notify.Metadata.Deliveries.Embedded;
using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries.FanOut;

/// <summary>
/// Fan-out marks in <c>deliveries.db</c>'s <c>fan_outs</c>, one row per message, swept with the file's other
/// expired rows. Not fsync'd: a mark lost to a power cut only makes a resumed split queue a page twice.
/// </summary>
public sealed class SqliteFanOutProgress : IFanOutProgress
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;
    private readonly Lazy<Task> _schema;

    /// <param name="path">The file (<c>deliveries.db</c>); its folder must exist.</param>
    public SqliteFanOutProgress(string path, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _clock = clock;
        _schema = new(() => SqliteDeliverySchema.ApplyAsync(_database, CancellationToken.None));
    }

    public async Task<FanOutMark?> GetAsync(string messageId, CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT after, pages FROM fan_outs WHERE message_id = $message AND expires_at > $now";
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new FanOutMark(reader.GetString(0), reader.GetInt32(1)) : null;
    }

    public async Task SaveAsync(string messageId, FanOutMark mark, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO fan_outs (message_id, after, pages, expires_at) VALUES ($message, $after, $pages, $expires)";
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$after", mark.After);
        command.Parameters.AddWithValue("$pages", mark.Pages);
        command.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
