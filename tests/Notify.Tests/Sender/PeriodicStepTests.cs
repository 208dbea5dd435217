using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Notify.Sender.Processing;
using Notify.Shared.Queue;

namespace Notify.Tests.Sender;

/// <summary>
/// The loop under the visibility heartbeat and the subscription watch. Their DisposeAsync awaits it, and
/// what follows that await (a delivery's slot release, a message's delete or hand-back) must run whatever
/// the last step did: a step that fails while the loop is being stopped is reported, never thrown.
/// </summary>
public sealed class PeriodicStepTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task AStepThatFailsWhileStopping_IsReported_AndTheLoopEndsWithoutThrowing()
    {
        var failure = new IOException("disk busy");

        var reported = await StopWhileAStepRunsAsync(new GatedStep(failure));

        Assert.Same(failure, Assert.Single(reported));
    }

    [Fact]
    public async Task AStepCancelledByTheStop_EndsTheLoopQuietly()
    {
        var reported = await StopWhileAStepRunsAsync(new GatedStep(failure: null));

        Assert.Empty(reported);
    }

    /// <summary>Runs the loop to its first step, stops it while the step runs, lets the step end; what the loop reported.</summary>
    private async Task<List<Exception>> StopWhileAStepRunsAsync(GatedStep step)
    {
        var reported = new List<Exception>();
        using var stop = new CancellationTokenSource();
        var loop = PeriodicStep.RunAsync(Interval, _clock, step.RunAsync, reported.Add, stop.Token);

        _clock.Advance(Interval);
        await step.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        step.Release();

        await loop.WaitAsync(TimeSpan.FromSeconds(30));
        return reported;
    }

    [Fact]
    public async Task VisibilityHeartbeat_WhoseLastExtensionFailsDuringDispose_DisposesWithoutThrowing()
    {
        // An extension already running when the delivery ends, then failing (SQLite busy, a disk error): the
        // processor's settlement after `await using` must still run, or the message comes back whole later.
        var failure = new IOException("disk busy");
        var queue = new GatedVisibilityQueue(failure);
        var message = new ReceivedMessage("m-1", "1.1", "{}", 1, _clock.GetUtcNow());
        var heartbeat = VisibilityHeartbeat.Start(queue, message, TimeSpan.FromSeconds(30), _clock, NullLogger.Instance);

        _clock.Advance(Interval);
        await queue.Step.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var disposing = heartbeat.DisposeAsync().AsTask();
        queue.Step.Release();

        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>A step that waits, ignoring its token as a synchronous SQLite call does once started, then throws <c>failure</c>, or without one, the token's cancellation.</summary>
    private sealed class GatedStep(Exception? failure)
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _gate.TrySetResult();

        public async Task<bool> RunAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _gate.Task;
            if (failure is not null)
            {
                throw failure;
            }

            cancellationToken.ThrowIfCancellationRequested();
            return true;
        }
    }

    /// <summary>A queue whose visibility change waits for the test, then fails.</summary>
    private sealed class GatedVisibilityQueue(Exception failure) : IMessageQueue
    {
        public GatedStep Step { get; } = new(failure);

        public async Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
        {
            // The failure stands whatever the token says: the write had started.
            await Step.RunAsync(CancellationToken.None);
            return true;
        }

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
