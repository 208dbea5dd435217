using Microsoft.Data.Sqlite;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;

namespace Notify.Metadata.Retention;

/// <summary>
/// Retained messages of Embedded mode: the <c>retained_messages</c> table of <c>deliveries.db</c>
/// (<see cref="SqliteDeliverySchema"/>), keyed by topic and message id, so a topic's listing is a range of its
/// primary key in publish order. Expired rows are hidden by the injected clock and deleted by
/// <see cref="SqliteDeliveryStore.DeleteExpiredAsync"/>'s sweep. Commits are fsync'd: a publish is answered
/// 202 only once its kept copy is written. The envelope (the message's content) is stored encrypted
/// (<see cref="PayloadCipher"/>, bound to the topic and message).
/// </summary>
public sealed class SqliteRetainedMessages : IRetainedMessages
{
    private readonly SqliteDatabase _database;
    private readonly PayloadCipher _cipher;
    private readonly TimeProvider _clock;
    private readonly Lazy<Task> _schema;

    /// <param name="path">The file (<c>deliveries.db</c>); its folder must exist.</param>
    /// <param name="cipher">Encrypts the envelopes kept.</param>
    /// <param name="clock">"Now" for reads, which hide what expired.</param>
    public SqliteRetainedMessages(string path, PayloadCipher cipher, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _cipher = cipher;
        _clock = clock;
        _schema = new(() => SqliteDeliverySchema.ApplyAsync(_database, CancellationToken.None));
    }

    public async Task KeepAsync(RetainedMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO retained_messages (topic, message_id, published_at, envelope, expires_at)
            VALUES ($topic, $message, $published, $envelope, $expires)
            """;
        command.Parameters.AddWithValue("$topic", message.Topic);
        command.Parameters.AddWithValue("$message", message.MessageId);
        command.Parameters.AddWithValue("$published", message.PublishedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$envelope", _cipher.Seal(message.Envelope, SealedContexts.RetainedMessage(message.Topic, message.MessageId)));
        command.Parameters.AddWithValue("$expires", message.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Page<RetainedMessage>> ListAsync(string topic, TimeWindow published, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = RetainedListing.After(topic, published, cursor);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT topic, message_id, published_at, envelope, expires_at FROM retained_messages
            WHERE topic = $topic AND message_id > $after AND expires_at > $now
                AND ($from IS NULL OR published_at >= $from) AND ($to IS NULL OR published_at < $to)
            ORDER BY message_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$after", after ?? "");
        command.Parameters.AddWithValue("$now", _clock.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$from", (object?)published.From?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)published.To?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var messages = new List<RetainedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new RetainedMessage
            {
                Topic = reader.GetString(0),
                MessageId = reader.GetString(1),
                PublishedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                Envelope = _cipher.Open(reader.GetValue(3), SealedContexts.RetainedMessage(reader.GetString(0), reader.GetString(1))),
                ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            });
        }

        return PageCut.ToPage(messages, limit, last => RetainedListing.ToCursor(topic, published, last.MessageId));
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        return await _database.OpenAsync(cancellationToken);
    }
}
