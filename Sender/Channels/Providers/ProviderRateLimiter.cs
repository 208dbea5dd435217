using System.Threading.RateLimiting;

namespace Notify.Sender.Channels.Providers;

/// <summary>
/// Paces calls to one provider at <c>MaxPerSecond</c>: a token bucket holding one second of calls
/// (at least one), refilled in small steps. Callers wait for a token rather than being refused: a burst
/// of messages is spread out, not failed. Refills run on the injected <see cref="TimeProvider"/> (the
/// limiter's own timer cannot be driven by a test clock).
/// </summary>
internal sealed class ProviderRateLimiter : IDisposable
{
    // Refill at most every 50 ms: finer steps would only spend timer callbacks.
    private static readonly TimeSpan MinimumStep = TimeSpan.FromMilliseconds(50);

    private readonly TokenBucketRateLimiter _bucket;
    private readonly ITimer _refill;

    public ProviderRateLimiter(double maxPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerSecond);
        var step = TimeSpan.FromSeconds(1 / maxPerSecond);
        if (step < MinimumStep)
        {
            step = MinimumStep;
        }

        var capacity = Math.Max(1, (int)Math.Floor(maxPerSecond));
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = capacity,
            TokensPerPeriod = Math.Max(1, (int)Math.Round(maxPerSecond * step.TotalSeconds)),
            ReplenishmentPeriod = step,
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _refill = timeProvider.CreateTimer(static state => ((TokenBucketRateLimiter)state!).TryReplenish(), _bucket, step, step);
    }

    /// <summary>Waits for the next call's turn.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await _bucket.AcquireAsync(1, cancellationToken);

        // Only a disposed limiter refuses (the queue is unbounded).
        ObjectDisposedException.ThrowIf(!lease.IsAcquired, this);
    }

    public void Dispose()
    {
        _refill.Dispose();
        _bucket.Dispose();
    }
}
