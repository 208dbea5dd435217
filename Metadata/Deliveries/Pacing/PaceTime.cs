namespace Notify.Metadata.Deliveries.Pacing;

/// <summary>
/// Pace lines count in Unix microseconds: milliseconds would round the interval of the fastest allowed pace
/// (10,000 a second, 100 µs) to nothing.
/// </summary>
internal static class PaceTime
{
    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);

    /// <summary>An interval in whole microseconds, at least one.</summary>
    public static long Step(TimeSpan interval) => Math.Max(1, (long)Math.Round(interval.TotalMicroseconds));
}
