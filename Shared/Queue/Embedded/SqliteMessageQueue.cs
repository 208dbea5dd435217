using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Notify.Shared.Dependencies;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// The embedded queue: one SQLite file with SQS's semantics. Every change goes through one
/// <see cref="QueueWriter"/>, which commits all the changes waiting at that moment in one transaction:
/// every <see cref="SendBatchAsync"/> call waiting goes into one fsync'd transaction, so a durable 202
/// costs one disk flush per group rather than one per message, and a busy Sender's claims and deletes
/// share transactions with the sends instead of taking turns with them.
/// </summary>
/// <remarks>
/// Another process (a standalone Sender) may open the same file; it is seen by polling. Bodies are
/// stored encrypted (<see cref="PayloadCipher"/>, bound to the message id); rows written as plaintext
/// by a version before encryption at rest are still read.
/// </remarks>
internal sealed class SqliteMessageQueue : IMessageQueue, IAsyncDisposable, IDisposable
{
    /// <summary>How often a long poll looks at the file for messages sent by another process.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

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
    private readonly Task _schema;
    private readonly QueueWriter _writer;
    private readonly CancellationTokenSource _stopping = new();

    private TaskCompletionSource _messagesAvailable = NewSignal();
    private int _disposed;

    /// <param name="path">The database file; its folder must exist.</param>
    /// <param name="cipher">Encrypts the bodies written and opens those read.</param>
    public SqliteMessageQueue(string path, PayloadCipher cipher, TimeProvider timeProvider, ILogger<SqliteMessageQueue> logger)
    {
        _durable = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        _fast = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _cipher = cipher;
        _time = timeProvider;
        _schema = _durable.ExecuteAsync(Schema);
        _writer = new QueueWriter(_durable, _schema, timeProvider, logger, SignalMessagesAvailable);
    }

    public string Path => _durable.Path;

    /// <summary>Transactions this queue has committed: its writes are grouped, so far fewer than its calls.</summary>
    internal long CommittedTransactions => _writer.CommittedGroups;

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

        await _writer.WriteAsync(new PendingSend(snapshot, sealedBodies, bodyChars), cancellationToken);
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
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                var received = await _writer.WriteAsync(new PendingClaim(maxMessages, visibilityTimeout, _cipher), cancellationToken);
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
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _writer.WriteAsync(new PendingDelete(handle), cancellationToken);
    }

    /// <remarks>
    /// A handle stays current until the message is received again, even if its visibility timeout has
    /// passed meanwhile; SQS would answer false for a message that is no longer in flight.
    /// </remarks>
    private Task<bool> ChangeVisibilityCoreAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var handle = ReceiptHandle.Parse(receiptHandle, nameof(receiptHandle));
        QueueLimits.CheckVisibilityTimeout(visibilityTimeout);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _writer.WriteAsync(new PendingVisibilityChange(handle, visibilityTimeout), cancellationToken);
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

        await _writer.DisposeAsync();
        await _stopping.CancelAsync();
    }

    /// <summary>For containers disposed synchronously; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalMessagesAvailable() =>
        Interlocked.Exchange(ref _messagesAvailable, NewSignal()).TrySetResult();

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

    private async Task WaitForMessagesAsync(Task sent, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        var timer = Task.Delay(delay, _time, wait.Token);
        await Task.WhenAny(sent, timer);

        // Frees the timer when the signal won.
        await wait.CancelAsync();
    }
}
