using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notify.Shared.Storage;

namespace Notify.Frontend.Dedup;

/// <summary>
/// Dedup claims in a SQLite file. Commits survive a process crash (WAL, synchronous NORMAL): a retry
/// after a restart within the window is still recognised. A claim's <c>expires_at</c> is its lease while
/// pending and the end of the window once accepted, so one comparison tells a live claim from one that may
/// be taken over. Expired claims are purged a bounded slice at a time as new ones arrive.
/// </summary>
/// <remarks>
/// Group commit, like the embedded queue's: every claim, accept and release goes through a bounded
/// channel to one writer loop, which runs all that are waiting, in arrival order, in one transaction on
/// its one kept connection, then completes them. A commit per write (even without an fsync) and the
/// hand-over of SQLite's write lock cost more than the writes themselves; concurrent publishes share
/// them instead. Within a group writes see each other, so of concurrent claims of one key the first
/// wins and the others are answered its claim, as with separate transactions. One writer in the process
/// also means this process never waits in SQLite's busy handler, which sleeps on the thread.
/// </remarks>
internal sealed class SqliteDedupStore : IDedupStore, IAsyncDisposable, IDisposable
{
    private const int MaxGroupWrites = 512;
    private const int MaxWaitingWrites = 4096;

    // Expired claims deleted per group that made a claim: above one per claim, so the purge outpaces the
    // claims that will expire, and a backlog still goes in slices that keep a group short.
    private const int PurgePerGroup = 256;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _window;
    private readonly TimeSpan _lease;
    private readonly Channel<DedupWrite> _waiting;
    private readonly Task _writer;
    private int _disposed;

    public SqliteDedupStore(string path, IOptions<DedupOptions> options, TimeProvider clock)
    {
        _database = new SqliteDatabase(path, SqliteDatabase.Durability.Normal);
        _clock = clock;
        _window = options.Value.Window;
        _lease = options.Value.PendingLease;
        _waiting = Channel.CreateBounded<DedupWrite>(new BoundedChannelOptions(MaxWaitingWrites)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteGroupsAsync);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="cancellationToken"/> counts only while the call waits for room in the writer's
    /// channel; once there, it is written and answered whatever the token says.
    /// </remarks>
    public Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken) =>
        WriteAsync(new DedupWrite(DedupWrite.Kind.Claim, key, messageId), cancellationToken);

    /// <inheritdoc />
    public Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken) =>
        WriteAsync(new DedupWrite(DedupWrite.Kind.Accept, key, messageId), cancellationToken);

    /// <inheritdoc />
    public Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken) =>
        WriteAsync(new DedupWrite(DedupWrite.Kind.Release, key, messageId), cancellationToken);

    private async Task<DedupClaim> WriteAsync(DedupWrite write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_waiting.Writer.TryWrite(write))
        {
            try
            {
                await _waiting.Writer.WriteAsync(write, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(GetType().FullName);
            }
        }

        return await write.Completion;
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<DedupWrite>(MaxGroupWrites);
        SqliteDedupStatements? statements = null;
        try
        {
            // Ends when Dispose completes the channel and everything taken before has been written.
            while (await _waiting.Reader.WaitToReadAsync())
            {
                while (group.Count < MaxGroupWrites && _waiting.Reader.TryRead(out var write))
                {
                    group.Add(write);
                }

                try
                {
                    statements ??= await OpenStatementsAsync();
                    CommitGroup(statements, group);
                }
                catch (Exception exception)
                {
                    // Each caller gets the cause (the store's guard turns an unusable file into "data files
                    // unavailable"); a fresh connection next time, in case this one is what broke.
                    foreach (var write in group)
                    {
                        write.Fail(exception);
                    }

                    group.Clear();
                    Close(statements);
                    statements = null;
                    continue;
                }

                foreach (var write in group)
                {
                    write.Complete();
                }

                group.Clear();
            }
        }
        catch (Exception exception)
        {
            // Not expected (a failed group is handled above), but a writer that stopped with calls still
            // waiting would leave them waiting forever: they, and every later call, fail instead.
            _waiting.Writer.TryComplete(exception);
            foreach (var write in group)
            {
                write.Fail(exception);
            }

            while (_waiting.Reader.TryRead(out var write))
            {
                write.Fail(exception);
            }
        }
        finally
        {
            Close(statements);
        }
    }

    private async Task<SqliteDedupStatements> OpenStatementsAsync()
    {
        var connection = await _database.OpenAsync();
        try
        {
            return SqliteDedupStatements.Open(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Never throws: a connection that cannot even be closed is replaced all the same.</summary>
    private static void Close(SqliteDedupStatements? statements)
    {
        try
        {
            statements?.Dispose();
        }
        catch (SqliteException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void CommitGroup(SqliteDedupStatements statements, List<DedupWrite> group)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var leaseEnds = now + (long)_lease.TotalMilliseconds;
        var windowEnds = now + (long)_window.TotalMilliseconds;
        var claimed = false;

        using var transaction = statements.Connection.BeginTransaction(deferred: false);
        foreach (var write in group)
        {
            switch (write.Operation)
            {
                case DedupWrite.Kind.Claim:
                    write.Holder = statements.Claim(transaction, write.Key, write.MessageId, now, leaseEnds);
                    claimed = true;
                    break;
                case DedupWrite.Kind.Accept:
                    statements.Accept(transaction, write.Key, write.MessageId, windowEnds);
                    break;
                case DedupWrite.Kind.Release:
                    statements.Release(transaction, write.Key, write.MessageId);
                    break;
            }
        }

        if (claimed)
        {
            statements.PurgeExpired(transaction, now, PurgePerGroup);
        }

        transaction.Commit();
    }

    /// <summary>Stops taking writes and finishes those already taken.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _waiting.Writer.TryComplete();
        await _writer;
    }

    /// <summary>For containers and tests disposed synchronously; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
