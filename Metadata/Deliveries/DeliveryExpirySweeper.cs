using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// Deletes expired dead letters, retries and message statuses and old stats buckets every
/// <see cref="Interval"/>. Reads already ignore them; this keeps the store from growing. It starts once the
/// store is there (<see cref="StoreAvailability"/>: a standalone Sender must not create the data files a
/// Frontend creates). One failed sweep is logged and the next one tries again.
/// </summary>
internal sealed partial class DeliveryExpirySweeper(
    IDeliveryStore store, StoreAvailability availability, TimeProvider clock, ILogger<DeliveryExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await availability.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(Interval, clock);
            do
            {
                try
                {
                    var deleted = await store.DeleteExpiredAsync(clock.GetUtcNow(), stoppingToken);
                    if (deleted > 0)
                    {
                        Log.Swept(logger, deleted);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.SweepFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deleted {Count} expired delivery record(s)", EventName = "DeliveriesSwept")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Deleting expired delivery records failed; the next sweep tries again", EventName = "DeliveriesSweepFailed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
