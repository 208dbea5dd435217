using Microsoft.Data.Sqlite;
using Notify.Metadata.Model;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries.Embedded;

/// <summary>
/// The delivery store of Embedded mode: <c>deliveries.db</c> in the data directory (<see cref="SqliteDeliverySchema"/>),
/// a file of its own so its writes (failures, outcomes, counter flushes) never wait on the metadata file's
/// lock. Every change is one statement, so concurrent writers (a Frontend and a Sender process on one file)
/// need no transaction: additive counts are upserts that add. Reads treat rows whose expiry passed by
/// the injected clock as absent; <see cref="DeleteExpiredAsync"/> removes them. Commits are fsync'd: a dead
/// letter is written after its queue message is gone, so it is the only copy. A dead letter's envelope (the
/// message's content) is stored encrypted (<see cref="PayloadCipher"/>, bound to the subscription and message).
/// </summary>
public sealed partial class SqliteDeliveryStore : IDeliveryStore
{
    private readonly SqliteDatabase _database;
    private readonly PayloadCipher _cipher;
    private Lazy<Task> _schema;
    private readonly TimeProvider _clock;

    /// <param name="path">The file (<c>deliveries.db</c>); its folder must exist.</param>
    /// <param name="cipher">Encrypts dead letters' envelopes.</param>
    /// <param name="clock">"Now" for reads, which hide what expired.</param>
    public SqliteDeliveryStore(string path, PayloadCipher cipher, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _cipher = cipher;
        _schema = NewSchema();
        _clock = clock;
    }

    public async Task PutDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO dead_letters
                (subscription_id, message_id, topic, published_at, envelope, attempts, last_error, permanent, dead_lettered_at, expires_at)
            VALUES ($subscription, $message, $topic, $published, $envelope, $attempts, $error, $permanent, $deadLettered, $expires)
            """;
        command.Parameters.AddWithValue("$subscription", letter.SubscriptionId);
        command.Parameters.AddWithValue("$message", letter.MessageId);
        command.Parameters.AddWithValue("$topic", letter.Topic);
        command.Parameters.AddWithValue("$published", letter.PublishedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$envelope", _cipher.Seal(letter.Envelope, SealedContexts.DeadLetter(letter.SubscriptionId, letter.MessageId)));
        command.Parameters.AddWithValue("$attempts", DeliveryJsonContext.Write(letter.Attempts));
        command.Parameters.AddWithValue("$error", letter.LastError);
        command.Parameters.AddWithValue("$permanent", letter.Permanent ? 1 : 0);
        command.Parameters.AddWithValue("$deadLettered", letter.DeadLetteredAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", letter.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DeadLetter?> GetDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeadLetterColumns} FROM dead_letters WHERE subscription_id = $subscription AND message_id = $message AND expires_at > $now";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$now", NowMs());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadDeadLetter(reader) : null;
    }

    public async Task<Page<DeadLetter>> ListDeadLettersAsync(
        string subscriptionId, TimeWindow? published, int limit, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var after = DeadLetterListing.After(subscriptionId, published, cursor);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {DeadLetterColumns} FROM dead_letters
            WHERE subscription_id = $subscription AND message_id > $after AND expires_at > $now
                AND ($from IS NULL OR published_at >= $from) AND ($to IS NULL OR published_at < $to)
            ORDER BY message_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$after", after ?? "");
        command.Parameters.AddWithValue("$now", NowMs());
        command.Parameters.AddWithValue("$from", (object?)published?.From?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)published?.To?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(ReadDeadLetter(reader));
        }

        return Store.PageCut.ToPage(letters, limit, last => DeadLetterListing.ToCursor(subscriptionId, published, last.MessageId));
    }

    public async Task<bool> DeleteDeadLetterAsync(string subscriptionId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM dead_letters WHERE subscription_id = $subscription AND message_id = $message AND expires_at > $now";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$now", NowMs());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task PutRetryAsync(ScheduledRetry retry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO retries (subscription_id, message_id, topic, next_attempt, next_attempt_at, last_error, expires_at)
            VALUES ($subscription, $message, $topic, $attempt, $at, $error, $expires)
            """;
        command.Parameters.AddWithValue("$subscription", retry.SubscriptionId);
        command.Parameters.AddWithValue("$message", retry.MessageId);
        command.Parameters.AddWithValue("$topic", retry.Topic);
        command.Parameters.AddWithValue("$attempt", retry.NextAttempt);
        command.Parameters.AddWithValue("$at", retry.NextAttemptAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$error", retry.LastError);
        command.Parameters.AddWithValue("$expires", retry.ExpiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteRetryAsync(string subscriptionId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM retries WHERE subscription_id = $subscription AND message_id = $message";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$message", messageId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ScheduledRetry>> ListRetriesOfMessageAsync(string messageId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT subscription_id, message_id, topic, next_attempt, next_attempt_at, last_error, expires_at FROM retries
            WHERE message_id = $message AND expires_at > $now ORDER BY subscription_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$now", NowMs());
        command.Parameters.AddWithValue("$limit", limit);
        var retries = new List<ScheduledRetry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            retries.Add(new ScheduledRetry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                Time(reader.GetInt64(4)), reader.GetString(5), Time(reader.GetInt64(6))));
        }

        return retries;
    }

    public async Task<DateTimeOffset?> NextAttemptOfSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(next_attempt_at) FROM retries WHERE subscription_id = $subscription AND expires_at > $now";
        command.Parameters.AddWithValue("$subscription", subscriptionId);
        command.Parameters.AddWithValue("$now", NowMs());
        return await command.ExecuteScalarAsync(cancellationToken) is long at ? Time(at) : null;
    }

    public async Task AddMessageOutcomeAsync(MessageOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // One statement: SQLite's write lock makes each add whole, whoever else adds at the same moment.
        command.CommandText = """
            INSERT INTO message_outcomes (message_id, topic, published_at, expires_at, subscribers, delivered, retrying, dead_lettered)
            VALUES ($message, $topic, $published, $expires, $subscribers, $delivered, $retrying, $deadLettered)
            ON CONFLICT (message_id) DO UPDATE SET
                subscribers = subscribers + excluded.subscribers,
                delivered = delivered + excluded.delivered,
                retrying = retrying + excluded.retrying,
                dead_lettered = dead_lettered + excluded.dead_lettered
            """;
        command.Parameters.AddWithValue("$message", outcome.MessageId);
        command.Parameters.AddWithValue("$topic", outcome.Topic);
        command.Parameters.AddWithValue("$published", outcome.PublishedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", outcome.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$subscribers", outcome.Subscribers);
        command.Parameters.AddWithValue("$delivered", outcome.Delivered);
        command.Parameters.AddWithValue("$retrying", outcome.Retrying);
        command.Parameters.AddWithValue("$deadLettered", outcome.DeadLettered);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MessageOutcome?> GetMessageOutcomeAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT topic, published_at, expires_at, subscribers, delivered, retrying, dead_lettered FROM message_outcomes
            WHERE message_id = $message AND expires_at > $now
            """;
        command.Parameters.AddWithValue("$message", messageId);
        command.Parameters.AddWithValue("$now", NowMs());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new MessageOutcome
        {
            MessageId = messageId,
            Topic = reader.GetString(0),
            PublishedAt = Time(reader.GetInt64(1)),
            ExpiresAt = Time(reader.GetInt64(2)),
            Subscribers = reader.GetInt64(3),
            Delivered = reader.GetInt64(4),
            Retrying = reader.GetInt64(5),
            DeadLettered = reader.GetInt64(6),
        };
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM dead_letters WHERE expires_at <= $now;
            DELETE FROM retries WHERE expires_at <= $now;
            DELETE FROM message_outcomes WHERE expires_at <= $now;
            DELETE FROM stats_minutes WHERE minute < $bucketsBefore;
            DELETE FROM pace_lines WHERE expires_at <= $nowMicros;
            DELETE FROM fan_outs WHERE expires_at <= $now;
            DELETE FROM retained_messages WHERE expires_at <= $now;
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$nowMicros", Pacing.PaceTime.Micros(now));
        command.Parameters.AddWithValue("$bucketsBefore", StatsMinutes.DeletableBefore(now).ToUnixTimeMilliseconds());

        // ExecuteNonQuery sums the rows changed by every statement.
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private const string DeadLetterColumns =
        "subscription_id, message_id, topic, published_at, envelope, attempts, last_error, permanent, dead_lettered_at, expires_at";

    private DeadLetter ReadDeadLetter(SqliteDataReader reader) => new()
    {
        SubscriptionId = reader.GetString(0),
        MessageId = reader.GetString(1),
        Topic = reader.GetString(2),
        PublishedAt = Time(reader.GetInt64(3)),
        Envelope = _cipher.Open(reader.GetValue(4), SealedContexts.DeadLetter(reader.GetString(0), reader.GetString(1))),
        Attempts = DeliveryJsonContext.Read(reader.GetString(5)),
        LastError = reader.GetString(6),
        Permanent = reader.GetInt64(7) != 0,
        DeadLetteredAt = Time(reader.GetInt64(8)),
        ExpiresAt = Time(reader.GetInt64(9)),
    };

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private long NowMs() => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// A connection, once this process has created the tables. A failed creation (the folder missing, the
    /// disk full) is tried again by a later call rather than kept: the file may be writable by then.
    /// </summary>
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var schema = _schema;
        try
        {
            await schema.Value.WaitAsync(cancellationToken);
        }
        catch when (schema.Value.IsFaulted)
        {
            Interlocked.CompareExchange(ref _schema, NewSchema(), schema);
            throw;
        }

        return await _database.OpenAsync(cancellationToken);
    }

    private Lazy<Task> NewSchema() => new(() => SqliteDeliverySchema.ApplyAsync(_database, CancellationToken.None));
}
