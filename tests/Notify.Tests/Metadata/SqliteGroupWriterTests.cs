using Microsoft.Data.Sqlite;
using Notify.Metadata.Store.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>
/// The metadata file's writes: in FIFO order through one gate, and those that queued up behind a
/// running group committed together in one transaction, each rolled back alone when it fails.
/// </summary>
public sealed class SqliteGroupWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteMetadataFile _file;

    public SqliteGroupWriterTests()
    {
        _file = new SqliteMetadataFile(_directory.File("metadata.db"));
    }

    [Fact]
    public async Task WritesQueuedBehindARunningGroup_CommitTogetherInOneTransaction()
    {
        var (blocker, release) = await HoldTheGateAsync();
        var commitsBefore = _file.Writer.Commits;

        var writes = Enumerable.Range(0, 32)
            .Select(i => Task.Run(() => _file.WriteAsync(connection => InsertTopicAsync(connection, $"t{i}"), default)))
            .ToList();
        await WaitUntilSubmittedAsync(1 + writes.Count);
        release.SetResult();
        await blocker;
        await Task.WhenAll(writes);

        // One commit for the group that held the gate, one for all 32 writes: not 32 fsyncs one after another.
        Assert.Equal(2, _file.Writer.Commits - commitsBefore);
        Assert.Equal(32, await CountTopicsAsync());
    }

    [Fact]
    public async Task AFailingWrite_IsRolledBackAlone_AndTheRestOfItsGroupCommits()
    {
        var (blocker, release) = await HoldTheGateAsync();
        var commitsBefore = _file.Writer.Commits;

        var first = _file.WriteAsync(connection => InsertTopicAsync(connection, "a"), default);
        var failing = _file.WriteAsync(
            async connection =>
            {
                // The first insert succeeds and must be undone with the second, which breaks the primary key.
                await InsertTopicAsync(connection, "b");
                return await InsertTopicAsync(connection, "b");
            },
            default);
        var last = _file.WriteAsync(connection => InsertTopicAsync(connection, "c"), default);
        await WaitUntilSubmittedAsync(4);
        release.SetResult();
        await blocker;

        await first;
        await last;
        var error = await Assert.ThrowsAsync<SqliteException>(() => failing);
        Assert.Equal(SQLitePCL.raw.SQLITE_CONSTRAINT, error.SqliteErrorCode);
        Assert.Equal(2, _file.Writer.Commits - commitsBefore);
        Assert.Equal(["a", "c"], await TopicNamesAsync());
    }

    [Fact]
    public async Task AWriteCancelledWhileItWaits_IsNeverRun()
    {
        var (blocker, release) = await HoldTheGateAsync();
        using var cancel = new CancellationTokenSource();

        var cancelled = _file.WriteAsync(connection => InsertTopicAsync(connection, "never"), cancel.Token);
        var kept = _file.WriteAsync(connection => InsertTopicAsync(connection, "kept"), default);
        await WaitUntilSubmittedAsync(3);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.SetResult();
        await blocker;
        await kept;

        Assert.Equal(["kept"], await TopicNamesAsync());
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Starts a write that holds the gate (inside its transaction) until the returned source is completed,
    /// so that the writes started meanwhile queue up behind it.
    /// </summary>
    private async Task<(Task Blocker, TaskCompletionSource Release)> HoldTheGateAsync()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Task.Run(() => _file.WriteAsync(
            async _ =>
            {
                entered.SetResult();
                await release.Task;
                return 0;
            },
            default));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return (blocker, release);
    }

    // The writes are handed in from other threads; a generous deadline, no guessed sleep.
    private async Task WaitUntilSubmittedAsync(long count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (_file.Writer.Submitted < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_file.Writer.Submitted} of {count} writes handed in within 30 s");
            await Task.Delay(5);
        }
    }

    private static async Task<int> InsertTopicAsync(SqliteConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO topics (name, created_at) VALUES ($name, 0)";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<long> CountTopicsAsync() => (await TopicNamesAsync()).Count;

    private async Task<List<string>> TopicNamesAsync()
    {
        await using var connection = await _file.OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM topics ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
