namespace Notify.Sender.Channels.Providers;

/// <summary>
/// Paces calls to one provider at <c>MaxPerSecond</c>, with a burst of one second's calls (at least
/// one): a token bucket kept as its "theoretical arrival time" (GCRA). Each caller reserves the next
/// free turn under a lock and waits until it comes, so waiters go in arrival order and a burst is spread
/// out rather than refused. Time is the injected <see cref="TimeProvider"/>'s: the framework's
/// TokenBucketRateLimiter measures real time even when refilled by hand, so its pace could not be tested
/// on a test clock. A caller cancelled while waiting gives up its turn unused (the pace only gets slower).
/// </summary>
internal sealed class ProviderRateLimiter
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _burst;
    private DateTimeOffset _nextTurn = DateTimeOffset.MinValue;

    public ProviderRateLimiter(double maxPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerSecond);
        _clock = timeProvider;
        _interval = TimeSpan.FromSeconds(1 / maxPerSecond);
        var bucket = Math.Max(1, (int)Math.Floor(maxPerSecond));
        _burst = _interval * (bucket - 1);
    }

    /// <summary>Waits for the next call's turn.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_nextTurn < now)
            {
                _nextTurn = now;
            }

            wait = _nextTurn - _burst - now;
            _nextTurn += _interval;
        }

        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, _clock, cancellationToken));
    }
}
