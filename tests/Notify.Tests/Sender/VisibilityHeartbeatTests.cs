using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Notify.Sender.Processing;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

/// <summary>
/// The heartbeat that keeps a message hidden while it is delivered. The processor's DisposeAsync awaits it,
/// and what follows that await (the message's delete or hand-back) must run whatever the last extension did.
/// </summary>
public sealed class VisibilityHeartbeatTests : IAsyncDisposable
{
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Beat = VisibilityTimeout / 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();
    private readonly TempDirectory _directory = new();
    private readonly SqliteMessageQueue _queue;

    public VisibilityHeartbeatTests()
    {
        _queue = new SqliteMessageQueue(_directory.File("queue.db"), TestCipher.Instance, _clock, NullLogger<SqliteMessageQueue>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task EveryThirdOfTheTimeout_HidesTheMessageForAWholeTimeoutAgain()
    {
        var message = await SendAndReceiveAsync();
        var queue = new ExtensionsSeen(_queue);
        await using (VisibilityHeartbeat.Start(queue, message, VisibilityTimeout, _clock, NullLogger.Instance))
        {
            for (var beat = 1; beat <= 4; beat++)
            {
                _clock.Advance(Beat);
                Assert.True(await queue.Extensions.ReadAsync().AsTask().WaitAsync(Patience));
            }
        }

        // Four beats in, 40 s after the receive: hidden until 70 s, where the first timeout ended at 30 s.
        _clock.Advance(VisibilityTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(await _queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(await _queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task AStaleReceipt_StopsTheBeats()
    {
        // Received again once its timeout passed: the first handle is stale.
        var message = await SendAndReceiveAsync();
        _clock.Advance(VisibilityTimeout);
        Assert.Single(await _queue.ReceiveAsync(10, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None));
        var queue = new ExtensionsSeen(_queue);
        await using var heartbeat = VisibilityHeartbeat.Start(queue, message, VisibilityTimeout, _clock, NullLogger.Instance);

        _clock.Advance(Beat);
        Assert.False(await queue.Extensions.ReadAsync().AsTask().WaitAsync(Patience));

        _clock.Advance(Beat * 3);
        await heartbeat.DisposeAsync();
        Assert.False(queue.Extensions.TryRead(out _));
    }

    [Fact]
    public async Task AnExtensionThatFailsWhileTheHeartbeatEnds_DisposesWithoutThrowing()
    {
        // An extension already running when the delivery ends, then failing (SQLite busy, a disk error): the
        // processor's settlement after `await using` must still run, or the message comes back whole later.
        var queue = new GatedVisibilityQueue(new IOException("disk busy"));
        var message = new ReceivedMessage("m-1", "1.1", "{}", 1, _clock.GetUtcNow());
        var heartbeat = VisibilityHeartbeat.Start(queue, message, VisibilityTimeout, _clock, NullLogger.Instance);

        _clock.Advance(Beat);
        await queue.Entered.WaitAsync(Patience);
        var disposing = heartbeat.DisposeAsync().AsTask();
        queue.Release();

        await disposing.WaitAsync(Patience);
    }

    [Fact]
    public async Task ABeatMissedWhileAnExtensionRan_IsMadeUpAsSoonAsItEnds()
    {
        var queue = new SlowFirstExtension();
        var message = new ReceivedMessage("m-1", "1.1", "{}", 1, _clock.GetUtcNow());
        await using var heartbeat = VisibilityHeartbeat.Start(queue, message, VisibilityTimeout, _clock, NullLogger.Instance);

        _clock.Advance(Beat);
        await queue.FirstEntered.WaitAsync(Patience);
        _clock.Advance(Beat);
        queue.ReleaseFirst();

        // No more time passes: the second beat's extension runs once the first has ended.
        await queue.SecondCalled.WaitAsync(Patience);
    }

    [Fact]
    public async Task AHeartbeatThatEndsBeforeItsFirstBeat_NeverExtends()
    {
        var message = await SendAndReceiveAsync();
        var queue = new ExtensionsSeen(_queue);
        await VisibilityHeartbeat.Start(queue, message, VisibilityTimeout, _clock, NullLogger.Instance).DisposeAsync();

        _clock.Advance(Beat * 2);

        Assert.False(queue.Extensions.TryRead(out _));
    }

    private async Task<ReceivedMessage> SendAndReceiveAsync()
    {
        await _queue.SendBatchAsync([new OutgoingMessage("m-1", "body")], CancellationToken.None);
        return Assert.Single(await _queue.ReceiveAsync(1, VisibilityTimeout, TimeSpan.Zero, CancellationToken.None));
    }

    /// <summary>The real queue, telling the test each change of visibility's answer once it is written.</summary>
    private sealed class ExtensionsSeen(IMessageQueue inner) : IMessageQueue
    {
        private readonly Channel<bool> _extensions = Channel.CreateUnbounded<bool>();

        public ChannelReader<bool> Extensions => _extensions.Reader;

        public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            var changed = await inner.ChangeVisibilityAsync(receiptHandle, visibilityTimeout, cancellationToken);
            _extensions.Writer.TryWrite(changed);
            return changed;
        }

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            inner.SendBatchAsync(messages, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken);

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => inner.DeleteAsync(receiptHandle, cancellationToken);

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    /// <summary>A queue whose first change of visibility waits for the test (a busy file, a slow SQS call); the later ones answer at once.</summary>
    private sealed class SlowFirstExtension : IMessageQueue
    {
        private readonly TaskCompletionSource _firstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _secondCalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task FirstEntered => _firstEntered.Task;

        public Task SecondCalled => _secondCalled.Task;

        public void ReleaseFirst() => _firstGate.TrySetResult();

        public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                _firstEntered.TrySetResult();
                await _firstGate.Task;
            }
            else
            {
                _secondCalled.TrySetResult();
            }

            return true;
        }

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>A queue whose change of visibility waits for the test, then fails whatever the token says: the write had started.</summary>
    private sealed class GatedVisibilityQueue(Exception failure) : IMessageQueue
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _gate.TrySetResult();

        public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _gate.Task;
            throw failure;
        }

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
