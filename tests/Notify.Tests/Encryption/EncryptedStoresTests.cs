using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Retention;
using Notify.Shared.Encryption;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Encryption;

/// <summary>
/// The embedded stores keep message content as sealed BLOBs, read them back, still read the plaintext
/// rows an earlier version wrote, and leave a row they cannot open where it is.
/// </summary>
public sealed class EncryptedStoresTests : IAsyncLifetime, IDisposable
{
    private const string Marker = "confidential-7c1e";
    private static readonly string Envelope = $$"""{"subject":"{{Marker}}","message":"hello"}""";
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly EncryptionKey _key = EncryptionKey.Generate();
    private readonly List<SqliteMessageQueue> _queues = [];

    private string QueueFile => _directory.File("queue.db");

    private string DeliveriesFile => _directory.File("deliveries.db");

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Queue_StoresTheBodySealed_AndReceivesItInTheClear()
    {
        var queue = Queue(new PayloadCipher(_key, []));

        await queue.SendBatchAsync([new OutgoingMessage("m1", Envelope)], default);

        var (type, stored) = await ReadAsync(QueueFile, "SELECT typeof(body), body FROM messages");
        Assert.Equal("blob", type);
        Assert.Equal(-1, ((byte[])stored).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
        var received = Assert.Single(await queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, default));
        Assert.Equal(Envelope, received.Body);
    }

    [Fact]
    public async Task Queue_ReceivesABodyWrittenAsPlaintextBeforeEncryption()
    {
        var queue = Queue(new PayloadCipher(_key, []));
        await queue.GetDepthAsync(default);
        await WriteAsync(QueueFile, "INSERT INTO messages (id, body, sent_at, visible_at) VALUES ('old', $value, 0, 0)", Envelope);

        var received = Assert.Single(await queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, default));

        Assert.Equal(Envelope, received.Body);
    }

    [Fact]
    public async Task Queue_UnderAKeyNotConfigured_RefusesTheReceive_AndTheMessageWaitsIntactForItsKey()
    {
        await Queue(new PayloadCipher(_key, [])).SendBatchAsync([new OutgoingMessage("m1", Envelope)], default);
        var otherKey = EncryptionKey.Generate();

        var failure = await Assert.ThrowsAsync<UnknownEncryptionKeyException>(
            () => Queue(new PayloadCipher(otherKey, [])).ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, default));

        Assert.Contains("queue message m1", failure.Message, StringComparison.Ordinal);
        var received = Assert.Single(await Queue(new PayloadCipher(otherKey, [_key])).ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, default));
        Assert.Equal(Envelope, received.Body);
        Assert.Equal(1, received.ReceiveCount);
    }

    [Fact]
    public async Task DeadLetters_AreStoredSealed_AndAPlaintextOneFromBeforeIsRead()
    {
        var store = new SqliteDeliveryStore(DeliveriesFile, new PayloadCipher(_key, []), _clock);
        await store.PutDeadLetterAsync(Letter("m1"), default);
        await WriteAsync(
            DeliveriesFile,
            "INSERT INTO dead_letters VALUES ('sub-1', 'old', 'orders', 0, $value, '[]', 'refused', 1, 0, 9999999999999)",
            Envelope);

        var (type, stored) = await ReadAsync(DeliveriesFile, "SELECT typeof(envelope), envelope FROM dead_letters WHERE message_id = 'm1'");

        Assert.Equal("blob", type);
        Assert.Equal(-1, ((byte[])stored).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
        Assert.Equal(Envelope, (await store.GetDeadLetterAsync("sub-1", "m1", default))!.Envelope);
        Assert.Equal(Envelope, (await store.GetDeadLetterAsync("sub-1", "old", default))!.Envelope);
    }

    [Fact]
    public async Task RetainedMessages_AreStoredSealed_AndAPlaintextOneFromBeforeIsRead()
    {
        var store = new SqliteRetainedMessages(DeliveriesFile, new PayloadCipher(_key, []), _clock);
        await store.KeepAsync(new RetainedMessage
        {
            Topic = "orders",
            MessageId = "m2",
            PublishedAt = _clock.GetUtcNow(),
            Envelope = Envelope,
            ExpiresAt = _clock.GetUtcNow().AddDays(1),
        }, default);
        await WriteAsync(DeliveriesFile, "INSERT INTO retained_messages VALUES ('orders', 'm1', 0, $value, 9999999999999)", Envelope);

        var (type, stored) = await ReadAsync(DeliveriesFile, "SELECT typeof(envelope), envelope FROM retained_messages WHERE message_id = 'm2'");
        var page = await store.ListAsync("orders", new TimeWindow(null, null), 10, null, default);

        Assert.Equal("blob", type);
        Assert.Equal(-1, ((byte[])stored).AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
        Assert.Equal([Envelope, Envelope], page.Items.Select(m => m.Envelope));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var queue in _queues)
        {
            await queue.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose() => _directory.Dispose();

    private SqliteMessageQueue Queue(PayloadCipher cipher)
    {
        var queue = new SqliteMessageQueue(QueueFile, cipher, _clock, NullLogger<SqliteMessageQueue>.Instance);
        _queues.Add(queue);
        return queue;
    }

    private DeadLetter Letter(string messageId) => new()
    {
        SubscriptionId = "sub-1",
        MessageId = messageId,
        Topic = "orders",
        PublishedAt = _clock.GetUtcNow(),
        Envelope = Envelope,
        Attempts = [],
        LastError = "refused",
        Permanent = true,
        DeadLetteredAt = _clock.GetUtcNow(),
        ExpiresAt = _clock.GetUtcNow().AddDays(1),
    };

    private static async Task<(string Type, object Value)> ReadAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetValue(1));
    }

    private static async Task WriteAsync(string file, string sql, string value)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync();
    }
}
