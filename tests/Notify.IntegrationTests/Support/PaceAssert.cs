namespace Notify.IntegrationTests.Support;

internal static class PaceAssert
{
    /// <summary>
    /// The most one request's arrival may lag its send: arrival times are taken in the test process, after
    /// the request crossed loopback and Kestrel, and on a loaded two-core machine one may be late by a few
    /// hundred milliseconds, which shortens its gap to the next.
    /// </summary>
    public static readonly TimeSpan ArrivalLateness = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// Asserts no two of <paramref name="arrivals"/> (in order) came faster than <paramref name="perSecond"/>
    /// allows: deliveries k apart are at least k/rate apart, less <see cref="ArrivalLateness"/>. At 2 a second,
    /// a pair one turn apart must be at least 100 ms apart, so two requests sent together always fail it.
    /// </summary>
    public static void NoFasterThan(IReadOnlyList<DateTimeOffset> arrivals, double perSecond)
    {
        for (var i = 0; i < arrivals.Count; i++)
        {
            for (var j = i + 1; j < arrivals.Count; j++)
            {
                var least = TimeSpan.FromSeconds((j - i) / perSecond) - ArrivalLateness;
                Assert.True(
                    arrivals[j] - arrivals[i] >= least,
                    $"deliveries {i + 1} and {j + 1} came {(arrivals[j] - arrivals[i]).TotalSeconds:F3} s apart; at {perSecond} a second at least {least.TotalSeconds:F3} s");
            }
        }
    }

    /// <summary>The arrivals after the first, in seconds, for the test's output.</summary>
    public static string Describe(IReadOnlyList<DateTimeOffset> arrivals) =>
        string.Join(", ", arrivals.Select(t => $"{(t - arrivals[0]).TotalSeconds:F3} s ({t:HH:mm:ss.fff})"));
}
