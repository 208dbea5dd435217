using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Notify.Shared.Storage;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// The one writer of this process on the queue file. Every change (sends, deletes, changes of visibility,
/// receives' claims) waits in one channel; the writer takes all that is waiting at that moment into one
/// transaction. A send makes its group's commit fsync'd (what a 202 promises), so concurrent publishes
/// share one disk flush; receipt changes ride along in the same transaction, or go in one of their own
/// without an fsync when no send is waiting. One transaction for many changes writes each touched page
/// to the write-ahead log once, where a transaction per change wrote it again for every change, and no
/// writer of this process ever waits in SQLite's busy handler for another.
/// </summary>
/// <remarks>
/// Receipt changes written without an fsync can at worst be undone by a power cut, which makes a message
/// visible again: a duplicate delivery, which at-least-once already allows. The next fsync'd commit
/// makes them durable too.
/// </remarks>
internal sealed partial class QueueWriter : IAsyncDisposable
{
    private const int MaxGroupMessages = 512;
    private const int MaxGroupWrites = 1024;
    private const long MaxGroupBodyChars = 8L * 1024 * 1024;
    private const int MaxWaitingWrites = 4096;

    private readonly SqliteDatabase _database;
    private readonly Task _schema;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _messagesAvailable;
    private readonly Channel<QueuedWrite> _waiting;
    private readonly Task _loop;
    private long _committedGroups;

    /// <param name="database">The queue file; the writer sets its durability per transaction.</param>
    /// <param name="schema">Completes when the file's tables exist.</param>
    /// <param name="messagesAvailable">Called after a commit that may have made messages visible.</param>
    public QueueWriter(SqliteDatabase database, Task schema, TimeProvider time, ILogger logger, Action messagesAvailable)
    {
        _database = database;
        _schema = schema;
        _time = time;
        _logger = logger;
        _messagesAvailable = messagesAvailable;
        _waiting = Channel.CreateBounded<QueuedWrite>(new BoundedChannelOptions(MaxWaitingWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(WriteGroupsAsync);
    }

    /// <summary>Transactions committed so far: how many groups the writes took.</summary>
    public long CommittedGroups => Interlocked.Read(ref _committedGroups);

    /// <summary>
    /// Queues the write and waits for its group to commit. The token counts only until the writer takes
    /// the write into a group; from then on the call completes when the group does.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The writer has stopped.</exception>
    public async Task<TResult> WriteAsync<TResult>(QueuedWrite<TResult> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        write.CancelWith(cancellationToken);
        try
        {
            await _waiting.Writer.WriteAsync(write, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            write.TryTake();
            throw new ObjectDisposedException(nameof(SqliteMessageQueue));
        }

        return await write.Completion;
    }

    /// <summary>Stops taking writes and commits those already taken.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<QueuedWrite>();
        bool? durable = null;
        SqliteConnection? connection = null;
        QueueStatements? statements = null;
        try
        {
            // Ends when DisposeAsync completes the channel and everything taken before has been written.
            while (await _waiting.Reader.WaitToReadAsync())
            {
                var messageCount = 0;
                long bodyChars = 0;
                var needsFsync = false;
                while (group.Count < MaxGroupWrites
                       && messageCount < MaxGroupMessages
                       && bodyChars < MaxGroupBodyChars
                       && _waiting.Reader.TryRead(out var write))
                {
                    if (write.TryTake())
                    {
                        group.Add(write);
                        messageCount += write.MessageCount;
                        bodyChars += write.BodyChars;
                        needsFsync |= write.NeedsFsync;
                    }
                }

                if (group.Count == 0)
                {
                    continue;
                }

                var wake = false;
                try
                {
                    await _schema;
                    connection ??= await _database.OpenAsync();
                    statements ??= new QueueStatements(connection);
                    if (needsFsync != durable)
                    {
                        SetDurability(connection, needsFsync);
                        durable = needsFsync;
                    }

                    wake = CommitGroup(connection, statements, group);
                }
                catch (Exception exception)
                {
                    Log.GroupCommitFailed(_logger, messageCount, group.Count, exception);
                    foreach (var write in group)
                    {
                        write.Fail(exception);
                    }

                    group.Clear();

                    // A fresh connection next time, in case this one is what broke.
                    await CloseAsync(statements, connection);
                    statements = null;
                    connection = null;
                    durable = null;
                    continue;
                }

                foreach (var write in group)
                {
                    write.Complete();
                }

                group.Clear();
                if (wake)
                {
                    _messagesAvailable();
                }
            }
        }
        catch (Exception exception)
        {
            // Not expected (every failure of a group is handled above), but a writer that stopped with calls
            // still waiting would leave them waiting forever: they, and every later call, fail instead.
            Log.WriterStopped(_logger, exception);
            _waiting.Writer.TryComplete(exception);
            foreach (var write in group)
            {
                write.Fail(exception);
            }

            while (_waiting.Reader.TryRead(out var write))
            {
                if (write.TryTake())
                {
                    write.Fail(exception);
                }
            }
        }
        finally
        {
            await CloseAsync(statements, connection);
        }
    }

    /// <summary>Never throws: a connection that cannot even be closed is replaced all the same.</summary>
    private async Task CloseAsync(QueueStatements? statements, SqliteConnection? connection)
    {
        try
        {
            statements?.Dispose();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception exception)
        {
            Log.CloseFailed(_logger, exception);
        }
    }

    /// <returns>Whether a write may have made messages visible.</returns>
    /// <remarks>A write that fails alone is failed here and left out of the group's completions.</remarks>
    private bool CommitGroup(SqliteConnection connection, QueueStatements statements, List<QueuedWrite> group)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var wake = false;
        using var transaction = connection.BeginTransaction(deferred: false);
        statements.Transaction = transaction;
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                var write = group[i];
                try
                {
                    write.Write(statements, now);
                    wake |= write.WakesReceivers;
                }
                catch (Exception exception) when (write.FailsAlone(exception))
                {
                    write.Fail(exception);
                    group.RemoveAt(i--);
                }
            }

            transaction.Commit();
            Interlocked.Increment(ref _committedGroups);
        }
        finally
        {
            statements.Transaction = null;
        }

        return wake;
    }

    /// <summary>
    /// FULL fsyncs the write-ahead log on commit; NORMAL leaves it to the next checkpoint or FULL commit.
    /// Set per group on the writer's one connection, outside any transaction.
    /// </summary>
    private static void SetDurability(SqliteConnection connection, bool fsync)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = fsync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        pragma.ExecuteNonQuery();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error,
            "Writing a group of {WriteCount} queue changes ({MessageCount} messages sent) failed; each of those calls fails",
            EventName = "GroupCommitFailed")]
        public static partial void GroupCommitFailed(ILogger logger, int messageCount, int writeCount, Exception exception);

        [LoggerMessage(2, LogLevel.Critical,
            "The queue's writer stopped; every call to the queue fails until the process restarts",
            EventName = "QueueWriterStopped")]
        public static partial void WriterStopped(ILogger logger, Exception exception);

        [LoggerMessage(3, LogLevel.Warning, "Closing the queue's connection after a failed group failed too", EventName = "QueueCloseFailed")]
        public static partial void CloseFailed(ILogger logger, Exception exception);
    }
}
