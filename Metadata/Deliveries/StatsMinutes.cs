namespace Notify.Metadata.Deliveries;

/// <summary>
/// The minute buckets of the stats, the same in both engines: a bucket is named by the UTC minute it
/// starts, and the last hour before <c>now</c> is the buckets that start in (now - window, now].
/// </summary>
internal static class StatsMinutes
{
    /// <summary>The start of the UTC minute <paramref name="time"/> falls in.</summary>
    public static DateTimeOffset Of(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>The first and the last bucket of the window before <paramref name="now"/> (both included).</summary>
    public static (DateTimeOffset First, DateTimeOffset Last) WindowBefore(DateTimeOffset now) =>
        (Of(now - DeliveryStats.Window).AddMinutes(1), Of(now));

    /// <summary>Buckets starting before this are past any window a read asks for and may be deleted.</summary>
    public static DateTimeOffset DeletableBefore(DateTimeOffset now) => Of(now - (2 * DeliveryStats.Window));
}
