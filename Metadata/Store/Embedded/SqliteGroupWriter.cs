using System.Runtime.ExceptionServices;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Notify.Metadata.Store.Embedded;

/// <summary>
/// Every write of this process to one SQLite file, in FIFO order and committed in groups: the writer that
/// holds the gate runs all the writes queued so far in one IMMEDIATE transaction, each in its own
/// savepoint (a write that fails is rolled back alone), and one fsync'd commit answers them all.
/// Without it, concurrent writers met in SQLite's busy handler, which sleeps with a growing backoff
/// instead of waking the next writer when the lock is free: 16 clients subscribed 4 times fewer per
/// second than one. Writers of another process (a standalone Sender) still wait in the busy handler.
/// </summary>
internal sealed class SqliteGroupWriter(Func<CancellationToken, Task<SqliteConnection>> open)
{
    // Bounds how long one transaction holds the file; the writes left over make the next group.
    private const int MaxGroupSize = 256;

    // The gate is held while its one slot is full; a bounded channel lets its blocked writers in in the
    // order they came, and one given up on leaves the line (a SemaphoreSlim would want disposing).
    private readonly Channel<bool> _gate = Channel.CreateBounded<bool>(1);
    private readonly ConcurrentQueue<PendingWrite> _queued = new();
    private long _submitted;
    private long _commits;

    /// <summary>Writes handed in so far (those cancelled before they ran included).</summary>
    public long Submitted => Interlocked.Read(ref _submitted);

    /// <summary>Transactions committed so far; fewer than the writes when writes came together.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Runs <paramref name="write"/> on a connection inside a transaction and returns its result once the
    /// transaction is committed. The write must not begin or end transactions itself. An
    /// <see cref="OperationCanceledException"/> means it did not run: the token counts only until a
    /// group takes the write; from then on the call completes when the group commits.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite<T>(write);
        _queued.Enqueue(pending);
        Interlocked.Increment(ref _submitted);
        try
        {
            await _gate.Writer.WriteAsync(true, cancellationToken);
        }
        catch (OperationCanceledException) when (pending.TryCancel())
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            // A group holding the gate already took this write: its outcome is the answer.
            return await pending.Result;
        }

        try
        {
            // A group takes the oldest writes first: this one may be left for the next, which is then this caller's.
            while (!pending.Result.IsCompleted)
            {
                await RunGroupAsync();
            }
        }
        finally
        {
            _gate.Reader.TryRead(out _);
        }

        return await pending.Result;
    }

    private async Task RunGroupAsync()
    {
        var group = new List<PendingWrite>();
        while (group.Count < MaxGroupSize && _queued.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                group.Add(next);
            }
        }

        if (group.Count == 0)
        {
            return;
        }

        var succeeded = new List<PendingWrite>(group.Count);
        try
        {
            await using var connection = await open(CancellationToken.None);
            await ExecuteAsync(connection, "BEGIN IMMEDIATE");
            try
            {
                foreach (var write in group)
                {
                    await ExecuteAsync(connection, "SAVEPOINT write");
                    try
                    {
                        await write.RunAsync(connection);
                        succeeded.Add(write);
                    }
                    catch (Exception e)
                    {
                        try
                        {
                            await ExecuteAsync(connection, "ROLLBACK TO write");
                        }
                        catch (SqliteException)
                        {
                            // SQLite ended the whole transaction itself (a full disk, an I/O error): the group
                            // fails with the cause, not the savepoint's "no such savepoint", so it is still
                            // told as an outage.
                            ExceptionDispatchInfo.Throw(e);
                        }

                        write.Fail(e);
                    }

                    await ExecuteAsync(connection, "RELEASE write");
                }

                await ExecuteAsync(connection, "COMMIT");
            }
            catch
            {
                await RollBackAsync(connection);
                throw;
            }
        }
        catch (Exception e)
        {
            // Nothing of the group was committed: every write not yet answered fails with the cause.
            foreach (var write in group)
            {
                write.Fail(e);
            }

            return;
        }

        Interlocked.Increment(ref _commits);
        foreach (var write in succeeded)
        {
            write.Complete();
        }
    }

    private static async Task RollBackAsync(SqliteConnection connection)
    {
        try
        {
            await ExecuteAsync(connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite rolled the transaction back itself (a full disk, an I/O error): nothing to undo.
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private abstract class PendingWrite
    {
        private const int Queued = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private int _state;

        /// <summary>The caller gave up; false when a group took the write first.</summary>
        public bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;

        /// <summary>A group takes the write; false when its caller gave up first.</summary>
        public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

        public abstract Task RunAsync(SqliteConnection connection);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, Task<T>> write) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(SqliteConnection connection) => _value = await write(connection);

        public override void Complete() => _result.TrySetResult(_value!);

        public override void Fail(Exception error) => _result.TrySetException(error);
    }
}
