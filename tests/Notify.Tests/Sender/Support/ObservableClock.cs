using System.Threading.Channels;
using Notify.Tests.Support;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that also reports every timer armed on it, so a test can wait
/// until the code under test is really waiting (for a retry delay, a drain deadline) before it moves
/// the clock, and can read how long that wait is.
/// </summary>
internal sealed class ObservableClock : TimeProvider
{
    private static readonly TimeSpan PatienceForRealEvents = TimeSpan.FromSeconds(15);

    private readonly ManualTimeProvider _manual = new();
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public override DateTimeOffset GetUtcNow() => _manual.GetUtcNow();

    public override long GetTimestamp() => _manual.GetTimestamp();

    public override long TimestampFrequency => _manual.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _manual.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _armed.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    public void Advance(TimeSpan by) => _manual.Advance(by);

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
            throw new TimeoutException("No timer was armed on the manual clock in time.");
        }
    }

    /// <summary>Waits until a timer due after exactly <paramref name="dueTime"/> is armed, skipping others.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        while (await NextTimerAsync() != dueTime)
        {
        }
    }
}
