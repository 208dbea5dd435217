using Microsoft.Extensions.Hosting;

namespace Notify.Metadata.Expiry;

/// <summary>
/// The loop every store sweep shares: sweep at start, then every interval on the injected clock; one
/// failed sweep is reported and the next one tries again. Reads already ignore what a sweep deletes: the
/// sweeps only keep the stores from growing.
/// </summary>
internal abstract class StoreSweeper(TimeSpan interval, TimeProvider clock) : BackgroundService
{
    /// <summary>Deletes what expired at <paramref name="now"/>; returns how much.</summary>
    protected abstract Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Waits for what the first sweep needs (a store another process creates); nothing by default.</summary>
    protected virtual Task BeforeFirstSweepAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract void Swept(int count);

    protected abstract void SweepFailed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await BeforeFirstSweepAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval, clock);
            do
            {
                try
                {
                    var deleted = await SweepAsync(clock.GetUtcNow(), stoppingToken);
                    if (deleted > 0)
                    {
                        Swept(deleted);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    SweepFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
