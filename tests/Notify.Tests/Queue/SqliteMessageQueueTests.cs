using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Queue;

public sealed class SqliteMessageQueueTests : MessageQueueContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    // Reports the receive's timers, so a test can move the clock to the very millisecond a wait ends.
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly List<SqliteMessageQueue> _opened = [];

    private string QueuePath => _directory.File("queue.db");

    protected override Task<IMessageQueue> CreateQueueAsync() => Task.FromResult<IMessageQueue>(Open(QueuePath));

    protected override Task PassTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var queue in _opened)
        {
            await queue.DisposeAsync();
        }
    }

    // xunit calls this after DisposeAsync, so the files are closed by then.
    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Messages_SurviveDisposeAndReopenOfTheFile()
    {
        await SendAsync(("m-1", "a"), ("m-2", "b"));
        var inFlight = Assert.Single(await ReceiveNowAsync(1));
        await ((SqliteMessageQueue)Queue).DisposeAsync();

        var reopened = Open(QueuePath);

        Assert.Equal(new QueueDepth(Waiting: 1, InFlight: 1, Delayed: 0), await reopened.GetDepthAsync(CancellationToken.None));
        _clock.Advance(VisibilityTimeout + TimeSpan.FromSeconds(1));
        var all = await reopened.ReceiveAsync(10, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(["m-1", "m-2"], all.Select(m => m.Id));
        Assert.Equal(2, all.Single(m => m.Id == inFlight.Id).ReceiveCount);
    }

    [Fact]
    public async Task Messages_CommittedBeforeACrash_AreInTheFilesLeftBehind()
    {
        await SendAsync(("m-1", "a"), ("m-2", "b"));

        // The files as a kill -9 would leave them: taken while the queue is open, never closed or
        // checkpointed, and without the shared-memory index, so SQLite must recover from the log.
        using var crashed = new TempDirectory();
        foreach (var suffix in new[] { "", "-wal" })
        {
            if (File.Exists(QueuePath + suffix))
            {
                File.Copy(QueuePath + suffix, crashed.File("queue.db" + suffix));
            }
        }

        var recovered = Open(crashed.File("queue.db"));
        var all = await recovered.ReceiveAsync(10, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None);
        await recovered.DisposeAsync();

        Assert.Equal(["m-1", "m-2"], all.Select(m => m.Id));
    }

    [Fact]
    public async Task SendBatch_FromManyConcurrentCallers_StoresEveryMessageExactlyOnce()
    {
        const int callers = 200;
        const int perCaller = 3;

        var sends = Enumerable.Range(0, callers).Select(caller => Task.Run(() => Queue.SendBatchAsync(
            Enumerable.Range(0, perCaller).Select(i => new OutgoingMessage($"c{caller}-m{i}", $"body {caller}/{i}")).ToArray(),
            CancellationToken.None)));
        await Task.WhenAll(sends).WaitAsync(Patience * 3);

        var received = new List<ReceivedMessage>();
        while (await ReceiveNowAsync(10) is { Count: > 0 } batch)
        {
            received.AddRange(batch);
        }

        Assert.Equal(callers * perCaller, received.Count);
        Assert.Equal(callers * perCaller, received.Select(m => m.Id).Distinct().Count());
        Assert.All(received, m => Assert.Equal(1, m.ReceiveCount));
        Assert.All(received, m => Assert.Equal(m.Id.Replace("c", "body ", StringComparison.Ordinal).Replace("-m", "/", StringComparison.Ordinal), m.Body));
    }

    [Fact]
    public async Task DeletesAndChangesOfVisibility_WaitingAtOnce_ShareOneTransaction()
    {
        await SendAsync(Enumerable.Range(0, 60).Select(i => ($"m-{i}", "body")).ToArray());
        var received = new List<ReceivedMessage>();
        while (await ReceiveNowAsync(10) is { Count: > 0 } batch)
        {
            received.AddRange(batch);
        }

        var queue = (SqliteMessageQueue)Queue;
        var before = queue.CommittedTransactions;

        // Another connection holds the file's write lock, so every change below is waiting at once when it ends.
        var writes = new List<Task>();
        await using (var blocker = new SqliteConnection($"Data Source={QueuePath}"))
        {
            await blocker.OpenAsync();
            using var hold = blocker.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync();

            writes.AddRange(received.Take(40).Select(m => Queue.DeleteAsync(m.ReceiptHandle, CancellationToken.None)));
            writes.AddRange(received.Skip(40).Select(m => Queue.ChangeVisibilityAsync(m.ReceiptHandle, VisibilityTimeout * 2, CancellationToken.None)));
            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync();
        }

        await Task.WhenAll(writes).WaitAsync(Patience);

        // A transaction per call would be 60; the writer may have taken the first change alone before the others arrived.
        Assert.InRange(queue.CommittedTransactions - before, 1, 2);
        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 20, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SendBatch_WithCancelledToken_ThrowsAndStoresNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Queue.SendBatchAsync([new OutgoingMessage("m-1", "a")], cancellation.Token));

        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SendBatch_AfterDispose_ThrowsObjectDisposed()
    {
        await ((SqliteMessageQueue)Queue).DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => Queue.SendBatchAsync([new OutgoingMessage("m-1", "a")], CancellationToken.None));
    }

    [Fact]
    public async Task SendBatch_WithBodyOverOneMebibyte_ThrowsArgumentExceptionAndStoresNothing()
    {
        var tooLarge = new string('é', (QueueLimits.MaxBodyBytes / 2) + 1);

        await Assert.ThrowsAsync<ArgumentException>(
            () => Queue.SendBatchAsync([new OutgoingMessage("m-1", "a"), new OutgoingMessage("m-2", tooLarge)], CancellationToken.None));

        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Receive_WithMaxMessagesOutsideSqsRange_ThrowsArgumentOutOfRange(int maxMessages)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Queue.ReceiveAsync(maxMessages, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-handle")]
    [InlineData("12.0")]
    [InlineData("-1.1")]
    public async Task Delete_WithHandleNotIssuedByTheQueue_ThrowsArgumentException(string handle)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Queue.DeleteAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_WhenHiddenMessageBecomesVisibleDuringWait_ReturnsIt()
    {
        var visibility = TimeSpan.FromSeconds(5);
        await SendAsync(("m-1", "a"));
        Assert.Single(await Queue.ReceiveAsync(1, visibility, TimeSpan.Zero, CancellationToken.None));

        var receive = Queue.ReceiveAsync(1, visibility, TimeSpan.FromSeconds(20), CancellationToken.None);
        var passed = await PassTimeUntilCompletedAsync(receive, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(20));

        var message = Assert.Single(await receive);
        Assert.Equal(2, message.ReceiveCount);
        Assert.InRange(passed, visibility, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Receive_WhenHiddenMessageIsHandedBackDuringWait_ReturnsItWithoutTimePassing()
    {
        await SendAsync(("m-1", "a"));
        var first = Assert.Single(await ReceiveNowAsync(1));

        var receive = Queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.False(receive.IsCompleted);
        await Queue.ChangeVisibilityAsync(first.ReceiptHandle, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(2, Assert.Single(await receive.WaitAsync(Patience)).ReceiveCount);
    }

    [Fact]
    public async Task Receive_WhenAnotherProcessSendsToTheSameFile_SeesTheMessageByPolling()
    {
        // A second queue on the same file stands in for a standalone process: it shares no in-process signal.
        var otherProcess = Open(QueuePath);
        await otherProcess.GetDepthAsync(CancellationToken.None);

        var receive = Queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);
        await otherProcess.SendBatchAsync([new OutgoingMessage("m-1", "a")], CancellationToken.None);
        var passed = await PassTimeUntilCompletedAsync(receive, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(20));

        Assert.Equal("m-1", Assert.Single(await receive).Id);
        Assert.True(passed <= SqliteMessageQueue.PollInterval * 2, $"Seen after {passed}; polls run every {SqliteMessageQueue.PollInterval}.");
    }

    [Fact]
    public async Task Send_WithDelay_IsHiddenUntilTheMillisecondItEnds_AndCountedAsDelayedTillThen()
    {
        await Queue.SendBatchAsync([new OutgoingMessage("m-1", "a", TimeSpan.FromMilliseconds(1500))], CancellationToken.None);

        _clock.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.Empty(await ReceiveNowAsync(1));
        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 0, Delayed: 1), await Queue.GetDepthAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new QueueDepth(Waiting: 1, InFlight: 0, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
        var message = Assert.Single(await ReceiveNowAsync(1));
        Assert.Equal(1, message.ReceiveCount);
        Assert.Equal(new QueueDepth(Waiting: 0, InFlight: 1, Delayed: 0), await Queue.GetDepthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Send_WithDelayOfAFractionOfAMillisecond_IsHiddenUntilTheNextWholeMillisecond()
    {
        await Queue.SendBatchAsync([new OutgoingMessage("m-1", "a", TimeSpan.FromMilliseconds(2) + TimeSpan.FromTicks(1))], CancellationToken.None);

        _clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Empty(await ReceiveNowAsync(1));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Single(await ReceiveNowAsync(1));
    }

    [Fact]
    public async Task Receive_StartedBeforeADelayEnds_WakesWhenItEnds_AndReturnsTheMessage()
    {
        var untilVisible = TimeSpan.FromMilliseconds(600);
        await Queue.SendBatchAsync([new OutgoingMessage("m-1", "a", untilVisible)], CancellationToken.None);

        var receive = Queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);

        // The receive polls the file meanwhile; each of its waits ends at the latest when the delay does.
        var wait = await _clock.NextTimerAsync();
        while (wait < untilVisible)
        {
            Assert.False(receive.IsCompleted);
            _clock.Advance(wait);
            untilVisible -= wait;
            wait = await _clock.NextTimerAsync();
        }

        Assert.Equal(untilVisible, wait);
        _clock.Advance(untilVisible - TimeSpan.FromMilliseconds(1));
        Assert.False(receive.IsCompleted);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var message = Assert.Single(await receive.WaitAsync(Patience));
        Assert.Equal("m-1", message.Id);
    }

    [Fact]
    public async Task Dispose_EndsAWaitingReceive()
    {
        var receive = Queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.FromSeconds(20), CancellationToken.None);

        await ((SqliteMessageQueue)Queue).DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => receive.WaitAsync(Patience));
    }

    private SqliteMessageQueue Open(string path)
    {
        var queue = new SqliteMessageQueue(path, TestCipher.Instance, _clock, NullLogger<SqliteMessageQueue>.Instance);
        _opened.Add(queue);
        return queue;
    }
}
