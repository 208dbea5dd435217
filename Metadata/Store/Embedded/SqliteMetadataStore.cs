using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Notify.Metadata.Model;
using Notify.Shared.Storage;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// Topics, subscriptions and the SMS opt-out list in one SQLite file, tables as
/// <see cref="SqliteMetadataSchema"/> makes them. Commits are fsync'd: a 201 for a topic or a subscription
/// survives a power cut. Uniqueness of (topic, protocol, endpoint) is a table constraint, so concurrent
/// identical subscribes resolve to one row.
/// </summary>
internal sealed class SqliteMetadataStore : IMetadataStore
{
    private const string SubscriptionColumns =
        "id, topic, protocol, endpoint, status, confirm_token, unsubscribe_token, created_at, confirmed_at, " +
        "delivery_error_code, delivery_error_detail, delivery_error_at";

    /// <summary>The index of a column selected right after <see cref="SubscriptionColumns"/>.</summary>
    private const int AfterSubscriptionColumns = 12;

    private readonly SqliteDatabase _database;
    private readonly Lazy<Task> _schema;

    public SqliteMetadataStore(string path)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _schema = new Lazy<Task>(() => SqliteMetadataSchema.ApplyAsync(_database, CancellationToken.None));
    }

    public async Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO topics (name, created_at) VALUES ($name, $now) ON CONFLICT (name) DO NOTHING;
            SELECT name, created_at, changes() FROM topics WHERE name = $name;
            """;
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (ReadTopic(reader), reader.GetInt64(2) == 1);
    }

    public async Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, created_at FROM topics WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadTopic(reader) : null;
    }

    public async Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode("topics", cursor);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, created_at FROM topics WHERE name > $after ORDER BY name LIMIT $limit";
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var topics = new List<Topic>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                topics.Add(ReadTopic(reader));
            }
        }

        return ToPage(topics, limit, t => Cursor.Encode("topics", t.Name));
    }

    public async Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The foreign key's ON DELETE CASCADE removes the topic's subscriptions in the same statement.
        command.CommandText = "DELETE FROM topics WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"""
            INSERT INTO subscriptions ({SubscriptionColumns})
            SELECT $id, $topic, $protocol, $endpoint, $status, $confirm, $unsubscribe, $created, $confirmed,
                $errorCode, $errorDetail, $errorAt
            WHERE EXISTS (SELECT 1 FROM topics WHERE name = $topic)
            ON CONFLICT (topic, protocol, endpoint) DO NOTHING;
            SELECT {SubscriptionColumns}, changes() FROM subscriptions
            WHERE topic = $topic AND protocol = $protocol AND endpoint = $endpoint;
            """;
        command.Parameters.AddWithValue("$id", candidate.Id);
        command.Parameters.AddWithValue("$topic", candidate.Topic);
        command.Parameters.AddWithValue("$protocol", StoredNames.Of(candidate.Protocol));
        command.Parameters.AddWithValue("$endpoint", candidate.Endpoint);
        command.Parameters.AddWithValue("$status", StoredNames.Of(candidate.Status));
        command.Parameters.AddWithValue("$confirm", candidate.ConfirmToken);
        command.Parameters.AddWithValue("$unsubscribe", candidate.UnsubscribeToken);
        command.Parameters.AddWithValue("$created", candidate.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$confirmed", (object?)candidate.ConfirmedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$errorCode", (object?)candidate.LastDeliveryError?.Code ?? DBNull.Value);
        command.Parameters.AddWithValue("$errorDetail", (object?)candidate.LastDeliveryError?.Detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$errorAt", (object?)candidate.LastDeliveryError?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);

        (Subscription, bool)? result = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                result = (ReadSubscription(reader), reader.GetInt64(AfterSubscriptionColumns) == 1);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return result ?? throw new TopicNotFoundException(candidate.Topic);
    }

    public async Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SubscriptionColumns} FROM subscriptions WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSubscription(reader) : null;
    }

    public async Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken)
    {
        var listing = "subscriptions:" + topic;
        var after = Cursor.Decode(listing, cursor);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SubscriptionColumns} FROM subscriptions
            WHERE topic = $topic AND id > $after ORDER BY id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.AddWithValue("$after", after ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = await ReadSubscriptionsAsync(command, cancellationToken);
        return ToPage(items, limit, s => Cursor.Encode(listing, s.Id));
    }

    public async Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(string topic, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SubscriptionColumns} FROM subscriptions
            WHERE topic = $topic AND status = 'confirmed' ORDER BY id
            """;
        command.Parameters.AddWithValue("$topic", topic);
        return await ReadSubscriptionsAsync(command, cancellationToken);
    }

    public async Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Confirming twice keeps the first confirmation time.
        command.CommandText = $"""
            UPDATE subscriptions SET status = 'confirmed', confirmed_at = COALESCE(confirmed_at, $now)
            WHERE id = $id
            RETURNING {SubscriptionColumns}
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSubscription(reader) : null;
    }

    public async Task<Subscription?> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM subscriptions WHERE id = $id RETURNING {SubscriptionColumns}";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSubscription(reader) : null;
    }

    public async Task<Subscription?> RecordDeliveryErrorAsync(string id, DeliveryError error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE subscriptions
            SET delivery_error_code = $code, delivery_error_detail = $detail, delivery_error_at = $at
            WHERE id = $id
            RETURNING {SubscriptionColumns}
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$code", error.Code);
        command.Parameters.AddWithValue("$detail", error.Detail);
        command.Parameters.AddWithValue("$at", error.At.ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSubscription(reader) : null;
    }

    public async Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Only opted-out numbers have a row, so opting back in deletes it. Opting out again keeps the
        // first time, as confirming again does.
        command.CommandText = optedOut
            ? "INSERT INTO sms_opt_outs (phone_number, opted_out_at) VALUES ($number, $now) ON CONFLICT (phone_number) DO NOTHING"
            : "DELETE FROM sms_opt_outs WHERE phone_number = $number";
        command.Parameters.AddWithValue("$number", phoneNumber);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken)
    {
        var optedOut = new HashSet<string>(StringComparer.Ordinal);
        if (phoneNumbers.Count == 0)
        {
            return optedOut;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The numbers go in as one JSON array, not one parameter each: a topic may have more SMS
        // subscribers than a statement may have parameters.
        command.CommandText = """
            SELECT phone_number FROM sms_opt_outs
            WHERE phone_number IN (SELECT value FROM json_each($numbers))
            """;
        command.Parameters.AddWithValue("$numbers", JsonSerializer.Serialize(phoneNumbers));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            optedOut.Add(reader.GetString(0));
        }

        return optedOut;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _schema.Value.WaitAsync(cancellationToken);
        return await _database.OpenAsync(cancellationToken);
    }

    private static async Task<List<Subscription>> ReadSubscriptionsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var items = new List<Subscription>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadSubscription(reader));
        }

        return items;
    }

    private static Page<T> ToPage<T>(List<T> items, int limit, Func<T, string> cursorOf)
    {
        if (items.Count <= limit)
        {
            return new Page<T>(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new Page<T>(items, cursorOf(items[^1]));
    }

    private static Topic ReadTopic(DbDataReader reader) =>
        new(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));

    private static Subscription ReadSubscription(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Topic = reader.GetString(1),
        Protocol = StoredNames.ParseProtocol(reader.GetString(2)),
        Endpoint = reader.GetString(3),
        Status = StoredNames.ParseStatus(reader.GetString(4)),
        ConfirmToken = reader.GetString(5),
        UnsubscribeToken = reader.GetString(6),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        ConfirmedAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        LastDeliveryError = reader.IsDBNull(9)
            ? null
            : new DeliveryError(reader.GetString(9), reader.GetString(10), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11))),
    };
}
