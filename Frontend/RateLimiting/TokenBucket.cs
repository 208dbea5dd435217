using System.Globalization;
using System.Threading.RateLimiting;

namespace Notify.Frontend.RateLimiting;

/// <summary>A rate and a burst, and the <see cref="TokenBucketRateLimiter"/> settings that give them.</summary>
internal sealed record TokenBucket(double PerSecond, int Burst)
{
    /// <summary>
    /// How often a partitioned limiter replenishes its buckets (its heartbeat, fixed by the library). A
    /// bucket refilled more often than this would lose refills, so each refill adds the tokens of at
    /// least one heartbeat.
    /// </summary>
    internal static readonly TimeSpan Heartbeat = TimeSpan.FromMilliseconds(100);

    /// <summary>A rate and burst as configured or as a key's claims give them; null when no rate is set.</summary>
    public static TokenBucket? From(double? perSecond, int? burst) =>
        perSecond is { } rate and > 0
            ? new TokenBucket(rate, burst is { } size and >= 1 ? size : (int)Math.Clamp(Math.Ceiling(rate), 1, int.MaxValue))
            : null;

    /// <summary>
    /// The limiter's settings: enough tokens per refill to cover a heartbeat (never more than the
    /// burst), refilled at the pace that makes the rate. No queue: a call over the limit is answered 429
    /// at once, with the time to wait, rather than held open.
    /// </summary>
    public TokenBucketRateLimiterOptions LimiterOptions()
    {
        var perRefill = (int)Math.Clamp(Math.Ceiling(PerSecond * Heartbeat.Ticks / TimeSpan.TicksPerSecond), 1, Burst);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst,
            TokensPerPeriod = perRefill,
            ReplenishmentPeriod = TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(perRefill / PerSecond * TimeSpan.TicksPerSecond))),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>The partition of a key under these limits: a key whose limits change gets a fresh bucket.</summary>
    public string PartitionOf(string keyId) =>
        string.Create(CultureInfo.InvariantCulture, $"{keyId}|{PerSecond}|{Burst}");

    /// <summary>"1 per second" / "0.5 per second", as a detail reads it.</summary>
    public string RateText => PerSecond.ToString("0.###", CultureInfo.InvariantCulture) + " per second";
}
