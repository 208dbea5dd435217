using System.Text;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Notify.Shared.Dependencies;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// The embedded queue: one SQLite file with SQS's semantics. Sends are group-committed: every
/// <see cref="SendBatchAsync"/> call waiting at the same moment goes into one fsync'd transaction, so a
/// durable 202 costs one disk flush per group rather than one per message.
/// </summary>
/// <remarks>
/// Receipt state (receive, delete, change visibility) is written without an fsync of its own: a power
/// cut can at worst undo the latest of those changes, which makes a message visible again, i.e. a
/// duplicate delivery, which at-least-once already allows. The next send's fsync makes them durable too.
/// Another process (a standalone Sender) may open the same file; it is seen by polling. Bodies are
/// stored encrypted (<see cref="PayloadCipher"/>, bound to the message id); rows written as plaintext
/// by a version before encryption at rest are still read.
/// </remarks>
internal sealed partial class SqliteMessageQueue : IMessageQueue, IAsyncDisposable, IDisposable
{
    /// <summary>How often a long poll looks at the file for messages sent by another process.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private const int MaxGroupMessages = 512;
    private const long MaxGroupBodyChars = 8L * 1024 * 1024;
    private const int MaxPendingSends = 4096;

    // AUTOINCREMENT, because handles name rows by sequence: a reused sequence would let a late delete
    // remove an unrelated, newer message. The index serves the receive query and the depth counts.
    // body holds a sealed BLOB; TEXT (its declared type) only in rows written before encryption at rest.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS messages (
            sequence      INTEGER PRIMARY KEY AUTOINCREMENT,
            id            TEXT    NOT NULL,
            body          TEXT    NOT NULL,
            sent_at       INTEGER NOT NULL,
            visible_at    INTEGER NOT NULL,
            receive_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS messages_by_visible_at ON messages (visible_at);
        """;

    private readonly SqliteDatabase _durable;
    private readonly SqliteDatabase _fast;
    private readonly PayloadCipher _cipher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _schema;
    private readonly Channel<PendingSend> _pending;
    private readonly Task _writer;

    // SQLite admits one writer at a time; this keeps the writers of this process in FIFO order, so a
    // busy stream of send groups cannot starve receives and deletes inside SQLite's busy-wait backoff.
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();

    private TaskCompletionSource _messagesAvailable = NewSignal();
    private SqliteConnection? _receiptConnection;
    private int _disposed;

    /// <param name="path">The database file; its folder must exist.</param>
    /// <param name="cipher">Encrypts the bodies written and opens those read.</param>
    public SqliteMessageQueue(string path, PayloadCipher cipher, TimeProvider timeProvider, ILogger<SqliteMessageQueue> logger)
    {
        _durable = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _fast = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _cipher = cipher;
        _time = timeProvider;
        _logger = logger;
        _schema = _durable.ExecuteAsync(Schema);
        _pending = Channel.CreateBounded<PendingSend>(new BoundedChannelOptions(MaxPendingSends)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteGroupsAsync);
    }

    public string Path => _durable.Path;

    /// <inheritdoc />
    /// <remarks>
    /// An <see cref="OperationCanceledException"/> means nothing was stored: the token only counts until
    /// the writer takes the call into a group; from then on the call completes when the group commits.
    /// A disk that is full, read-only or gone fails the call with <see cref="DependencyUnavailableException"/>.
    /// </remarks>
    public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
        DependencyGuard.DataFiles.CallAsync(() => SendBatchCoreAsync(messages, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
        DependencyGuard.DataFiles.CallAsync(() => ReceiveCoreAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) =>
        DependencyGuard.DataFiles.CallAsync(() => DeleteCoreAsync(receiptHandle, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
        DependencyGuard.DataFiles.CallAsync(() => ChangeVisibilityCoreAsync(receiptHandle, visibilityTimeout, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) =>
        DependencyGuard.DataFiles.CallAsync(() => GetDepthCoreAsync(cancellationToken), cancellationToken);

    private async Task SendBatchCoreAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (messages.Count == 0)
        {
            return;
        }

        // Copied and checked here, so that one caller's bad message fails that caller and not its group.
        var snapshot = new OutgoingMessage[messages.Count];
        var sealedBodies = new byte[snapshot.Length][];
        long bodyChars = 0;
        for (var i = 0; i < snapshot.Length; i++)
        {
            var message = messages[i] ?? throw new ArgumentException("A message is null.", nameof(messages));
            ArgumentException.ThrowIfNullOrEmpty(message.Id, nameof(messages));
            ArgumentNullException.ThrowIfNull(message.Body, nameof(messages));
            QueueLimits.CheckDelay(message.Delay);
            // A UTF-16 char takes at most 3 bytes of UTF-8, so most bodies need no count.
            if (message.Body.Length * 3L > QueueLimits.MaxBodyBytes
                && Encoding.UTF8.GetByteCount(message.Body) > QueueLimits.MaxBodyBytes)
            {
                throw new ArgumentException(
                    $"Message {message.Id} is larger than {QueueLimits.MaxBodyBytes} bytes of UTF-8.", nameof(messages));
            }

            snapshot[i] = message;
            bodyChars += message.Body.Length;
        }

        // Encrypted on the caller's thread, so the single writer only binds bytes.
        for (var i = 0; i < snapshot.Length; i++)
        {
            sealedBodies[i] = _cipher.Seal(snapshot[i].Body, SealedContexts.QueueBody(snapshot[i].Id));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingSend(snapshot, sealedBodies, bodyChars);
        pending.CancelWith(cancellationToken);
        try
        {
            await _pending.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            pending.TryTake();
            throw new ObjectDisposedException(GetType().FullName);
        }

        await pending.Completion;
    }

    /// <remarks>
    /// Messages sent by this process wake a waiting receive at once; messages sent by another process on
    /// the same file are seen within <see cref="PollInterval"/>. A message whose send delay or visibility
    /// timeout ends during the wait is returned when it ends: the wait never outlasts the earliest visible_at. Cancellation throws
    /// <see cref="OperationCanceledException"/>; messages already hidden for a receive that is then
    /// cancelled come back after their visibility timeout.
    /// </remarks>
    private async Task<IReadOnlyList<ReceivedMessage>> ReceiveCoreAsync(
        int maxMessages,
        TimeSpan visibilityTimeout,
        TimeSpan waitTime,
        CancellationToken cancellationToken)
    {
        QueueLimits.CheckReceive(maxMessages, visibilityTimeout, waitTime);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _schema.WaitAsync(cancellationToken);

        var deadline = _time.GetUtcNow() + waitTime;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed != 0, this);

            // Taken before looking, so a send that commits after the look still wakes this receive.
            var sent = Volatile.Read(ref _messagesAvailable).Task;
            var now = _time.GetUtcNow();
            var nowMs = now.ToUnixTimeMilliseconds();
            var earliest = await PeekEarliestVisibleAtAsync(cancellationToken);
            if (earliest <= nowMs)
            {
                var received = await ClaimAsync(maxMessages, nowMs, visibilityTimeout, cancellationToken);
                if (received.Count > 0)
                {
                    return received;
                }

                // Another receiver won the race for what was visible; look again.
                continue;
            }

            var remaining = deadline - now;
            if (remaining <= TimeSpan.Zero)
            {
                return [];
            }

            var delay = remaining < PollInterval ? remaining : PollInterval;
            if (earliest is { } visibleAt && TimeSpan.FromMilliseconds(visibleAt - nowMs) < delay)
            {
                delay = TimeSpan.FromMilliseconds(visibleAt - nowMs);
            }

            await WaitForMessagesAsync(sent, delay, cancellationToken);
        }
    }

    /// <remarks>Deletes the message the handle names even if it was received again since.</remarks>
    private async Task DeleteCoreAsync(string receiptHandle, CancellationToken cancellationToken)
    {
        var handle = ReceiptHandle.Parse(receiptHandle, nameof(receiptHandle));
        await WithReceiptConnectionAsync(
            connection =>
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM messages WHERE sequence = $sequence";
                delete.Parameters.AddWithValue("$sequence", handle.Sequence);
                return delete.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <remarks>
    /// A handle stays current until the message is received again, even if its visibility timeout has
    /// passed meanwhile; SQS would answer false for a message that is no longer in flight.
    /// </remarks>
    private async Task<bool> ChangeVisibilityCoreAsync(
        string receiptHandle,
        TimeSpan visibilityTimeout,
        CancellationToken cancellationToken)
    {
        var handle = ReceiptHandle.Parse(receiptHandle, nameof(receiptHandle));
        QueueLimits.CheckVisibilityTimeout(visibilityTimeout);
        var changed = await WithReceiptConnectionAsync(
            connection =>
            {
                using var change = connection.CreateCommand();
                change.CommandText = """
                    UPDATE messages SET visible_at = $visible_at
                    WHERE sequence = $sequence AND receive_count = $receive_count
                    """;
                change.Parameters.AddWithValue("$visible_at", (_time.GetUtcNow() + visibilityTimeout).ToUnixTimeMilliseconds());
                change.Parameters.AddWithValue("$sequence", handle.Sequence);
                change.Parameters.AddWithValue("$receive_count", handle.ReceiveCount);
                return change.ExecuteNonQuery();
            },
            cancellationToken);

        if (changed > 0 && visibilityTimeout == TimeSpan.Zero)
        {
            SignalMessagesAvailable();
        }

        return changed > 0;
    }

    /// <remarks>
    /// Hidden rows are told apart by their receive count: one never received is hidden only by its send
    /// delay; a received one is in flight (a change of visibility keeps it so).
    /// </remarks>
    private async Task<QueueDepth> GetDepthCoreAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _schema.WaitAsync(cancellationToken);
        await using var connection = await _fast.OpenAsync(cancellationToken);
        using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT (SELECT COUNT(*) FROM messages WHERE visible_at <= $now),
                   (SELECT COUNT(*) FROM messages WHERE visible_at > $now AND receive_count > 0),
                   (SELECT COUNT(*) FROM messages WHERE visible_at > $now AND receive_count = 0)
            """;
        count.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueDepth(Waiting: reader.GetInt64(0), InFlight: reader.GetInt64(1), Delayed: reader.GetInt64(2));
    }

    /// <summary>
    /// Stops taking sends, commits those already accepted, and wakes waiting receives (they throw
    /// <see cref="ObjectDisposedException"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _pending.Writer.TryComplete();
        await _writer;
        await _stopping.CancelAsync();

        await _writeLock.WaitAsync();
        try
        {
            if (_receiptConnection is not null)
            {
                await _receiptConnection.DisposeAsync();
                _receiptConnection = null;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>For containers disposed synchronously; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalMessagesAvailable() =>
        Interlocked.Exchange(ref _messagesAvailable, NewSignal()).TrySetResult();

    private async Task WriteGroupsAsync()
    {
        var group = new List<PendingSend>();
        SqliteConnection? connection = null;
        SqliteCommand? insert = null;
        try
        {
            // Ends when DisposeAsync completes the channel and everything accepted before has been written.
            while (await _pending.Reader.WaitToReadAsync())
            {
                var messageCount = 0;
                long bodyChars = 0;
                while (messageCount < MaxGroupMessages
                       && bodyChars < MaxGroupBodyChars
                       && _pending.Reader.TryRead(out var pending))
                {
                    if (pending.TryTake())
                    {
                        group.Add(pending);
                        messageCount += pending.Messages.Length;
                        bodyChars += pending.BodyChars;
                    }
                }

                if (group.Count == 0)
                {
                    continue;
                }

                await _writeLock.WaitAsync();
                try
                {
                    await _schema;
                    connection ??= await _durable.OpenAsync();
                    insert ??= CreateInsert(connection);
                    CommitGroup(connection, insert, group);
                }
                catch (Exception exception)
                {
                    Log.GroupCommitFailed(_logger, messageCount, group.Count, exception);
                    foreach (var pending in group)
                    {
                        pending.Fail(exception);
                    }

                    group.Clear();

                    // A fresh connection next time, in case this one is what broke.
                    insert?.Dispose();
                    insert = null;
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    continue;
                }
                finally
                {
                    _writeLock.Release();
                }

                foreach (var pending in group)
                {
                    pending.Complete();
                }

                group.Clear();
                SignalMessagesAvailable();
            }
        }
        finally
        {
            insert?.Dispose();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static SqliteCommand CreateInsert(SqliteConnection connection)
    {
        var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO messages (id, body, sent_at, visible_at, receive_count)
            VALUES ($id, $body, $now, $visible_at, 0)
            """;
        insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.Add("$body", SqliteType.Blob);
        insert.Parameters.Add("$now", SqliteType.Integer);
        insert.Parameters.Add("$visible_at", SqliteType.Integer);
        return insert;
    }

    private void CommitGroup(SqliteConnection connection, SqliteCommand insert, List<PendingSend> group)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var transaction = connection.BeginTransaction(deferred: false);

        // One command for the whole group: Microsoft.Data.Sqlite keeps its statement prepared while the
        // text stays the same, so each row only rebinds parameters.
        insert.Transaction = transaction;
        insert.Parameters["$now"].Value = now;
        foreach (var pending in group)
        {
            for (var i = 0; i < pending.Messages.Length; i++)
            {
                var message = pending.Messages[i];
                insert.Parameters["$id"].Value = message.Id;
                insert.Parameters["$body"].Value = pending.SealedBodies[i];
                insert.Parameters["$visible_at"].Value = now + DelayMilliseconds(message.Delay);
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    // Rounded up, so a message never shows before its delay has passed.
    private static long DelayMilliseconds(TimeSpan delay) =>
        (delay.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;

    /// <returns>
    /// When the earliest message is or becomes visible (unix ms), whether hidden by a receive or by its send
    /// delay; null when the queue is empty.
    /// </returns>
    private async Task<long?> PeekEarliestVisibleAtAsync(CancellationToken cancellationToken)
    {
        // A reader of its own: an idle long poll never queues behind the writer's fsync.
        await using var connection = await _fast.OpenAsync(cancellationToken);
        using var peek = connection.CreateCommand();
        peek.CommandText = "SELECT MIN(visible_at) FROM messages";
        var earliest = await peek.ExecuteScalarAsync(cancellationToken);
        return earliest is long visibleAt ? visibleAt : null;
    }

    private async Task<IReadOnlyList<ReceivedMessage>> ClaimAsync(
        int maxMessages,
        long nowMs,
        TimeSpan visibilityTimeout,
        CancellationToken cancellationToken)
    {
        return await WithReceiptConnectionAsync(
            connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var claim = connection.CreateCommand();
                claim.Transaction = transaction;
                claim.CommandText = """
                    UPDATE messages
                    SET visible_at = $hidden_until, receive_count = receive_count + 1
                    WHERE sequence IN (
                        SELECT sequence FROM messages
                        WHERE visible_at <= $now
                        ORDER BY visible_at, sequence
                        LIMIT $max)
                    RETURNING sequence, id, body, receive_count, sent_at
                    """;
                claim.Parameters.AddWithValue("$hidden_until", nowMs + (long)visibilityTimeout.TotalMilliseconds);
                claim.Parameters.AddWithValue("$now", nowMs);
                claim.Parameters.AddWithValue("$max", maxMessages);

                var received = new List<(long Sequence, ReceivedMessage Message)>(maxMessages);
                using (var reader = claim.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var sequence = reader.GetInt64(0);
                        var receiveCount = reader.GetInt32(3);
                        var id = reader.GetString(1);

                        // A body that cannot be opened (its key is not configured) throws here, before the
                        // commit: the claim is undone and the message waits, intact, for its key.
                        received.Add((sequence, new ReceivedMessage(
                            Id: id,
                            ReceiptHandle: new ReceiptHandle(sequence, receiveCount).ToString(),
                            Body: _cipher.Open(reader.GetValue(2), SealedContexts.QueueBody(id)),
                            ReceiveCount: receiveCount,
                            SentAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))));
                    }
                }

                transaction.Commit();

                // RETURNING promises no order; callers see the oldest first.
                received.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
                return (IReadOnlyList<ReceivedMessage>)received.ConvertAll(static r => r.Message);
            },
            cancellationToken);
    }

    /// <summary>
    /// Runs a short write on the one connection kept for receipt state, in turn with this process's other
    /// writers. The token counts only until the write starts, so a claim is never half-returned.
    /// </summary>
    private async Task<T> WithReceiptConnectionAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _schema.WaitAsync(cancellationToken);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            _receiptConnection ??= await _fast.OpenAsync(cancellationToken);
            try
            {
                return write(_receiptConnection);
            }
            catch
            {
                // A fresh connection next time, in case this one is what broke.
                await _receiptConnection.DisposeAsync();
                _receiptConnection = null;
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WaitForMessagesAsync(Task sent, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var timer = Task.Delay(delay, _time, wait.Token);
        await Task.WhenAny(sent, timer);

        // Frees the timer when the signal won.
        await wait.CancelAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error,
            "Writing a group of {MessageCount} queue messages from {SendCount} send calls failed; each of those calls fails",
            EventName = "GroupCommitFailed")]
        public static partial void GroupCommitFailed(ILogger logger, int messageCount, int sendCount, Exception exception);
    }
}
