using System.Threading.Channels;

namespace Notify.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports the due time of every timer armed on it. Moving
/// the clock before the code under test has armed its timer (for a retry delay, a drain deadline) would
/// move it past nothing, and <see cref="FakeTimeProvider"/> has no event for "a timer was created"; so
/// tests wait here until the code is really waiting, then advance, and can read how long that wait is.
/// A timer created disarmed is reported when it is armed: a <see cref="CancellationTokenSource"/> on a
/// clock (Polly's attempt timeout) arms its timer with <c>CancelAfter</c>, after creating it.
/// </summary>
internal sealed class TimerSignallingTimeProvider : FakeTimeProvider
{
    private static readonly TimeSpan PatienceForRealEvents = TimeSpan.FromSeconds(15);

    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new ReportingTimer(timer, _armed.Writer);
        }

        _armed.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer armed (in arming order), waiting for one if needed.</summary>
    public async Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken = default)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(PatienceForRealEvents);
        try
        {
            return await _armed.Reader.ReadAsync(patience.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("No timer was armed on the fake clock in time.");
        }
    }

    /// <summary>Waits until a timer due after exactly <paramref name="dueTime"/> is armed, skipping others.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        while (await NextTimerAsync() != dueTime)
        {
        }
    }

    /// <summary>Reports each time a timer created disarmed is armed.</summary>
    private sealed class ReportingTimer(ITimer timer, ChannelWriter<TimeSpan> armed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = timer.Change(dueTime, period);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                armed.TryWrite(dueTime);
            }

            return changed;
        }

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
