using System.Diagnostics;

namespace Notify.Bench.FanOut;

/// <summary>Waiting for deliveries to end: until they are all in, or until none has arrived for a while (a stuck run).</summary>
internal static class ArrivalWait
{
    /// <returns>True when <paramref name="done"/> completed; false when <paramref name="progress"/> stood still for <paramref name="stall"/>.</returns>
    public static async Task<bool> UntilAsync(Task done, Func<long> progress, TimeSpan stall, CancellationToken cancellationToken)
    {
        var seen = -1L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (!done.IsCompleted)
        {
            await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            var count = progress();
            if (count != seen)
            {
                (seen, lastProgress) = (count, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > stall)
            {
                return false;
            }
        }

        return true;
    }
}
