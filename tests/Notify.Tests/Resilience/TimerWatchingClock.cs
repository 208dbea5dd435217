using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Notify.Tests.Resilience;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports each timer armed on it, when created or changed
/// (a <see cref="CancellationTokenSource"/> on a clock arms its timer with <c>CancelAfter</c>), so a test
/// moves the clock only once the code under test is really waiting, and reads how long that wait is.
/// </summary>
internal sealed class TimerWatchingClock : FakeTimeProvider
{
    private static readonly TimeSpan PatienceForRealEvents = TimeSpan.FromSeconds(15);

    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public TimerWatchingClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ReportingTimer(base.CreateTimer(callback, state, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan), _armed.Writer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>The due time of the next timer armed, in arming order, waiting up to 15 s for one.</summary>
    public async Task<TimeSpan> NextTimerAsync(CancellationToken cancellationToken)
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
