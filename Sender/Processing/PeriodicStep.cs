namespace Notify.Sender.Processing;

/// <summary>
/// Runs a step every interval until it says stop or <paramref name="stop"/> is cancelled; a step that
/// throws is reported and the next tick tries again. The loop under the visibility heartbeat, which extends
/// a queue message's visibility now and then while it is being delivered (one loop per message; a delivery's
/// <see cref="SubscriptionWatch"/> uses a bare timer instead, being one per subscriber).
/// </summary>
internal static class PeriodicStep
{
    /// <param name="step">Returns false to stop.</param>
    /// <param name="failed">Told of a step that threw, except a cancellation by <paramref name="stop"/>; the loop never throws.</param>
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider timeProvider, Func<CancellationToken, Task<bool>> step, Action<Exception> failed, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, timeProvider);
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    if (!await step(stop))
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // Also a step that fails while stopping: the caller's DisposeAsync awaits this loop, and an
                    // escape there would skip what follows it (a delivery's slot release, a message's settlement).
                    failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
