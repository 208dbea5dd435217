using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// Flushes <see cref="DeliveryCounters"/> every <see cref="DeliveryOptions.StatsFlushInterval"/> and once more
/// when the host stops. A failed flush is logged; its counts wait for the next one.
/// </summary>
internal sealed partial class DeliveryCountersFlusher(
    DeliveryCounters counters, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<DeliveryCountersFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatsFlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await counters.FlushAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.FlushFailed(logger, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Writing the delivery stats failed; they are kept for the next flush", EventName = "StatsFlushFailed")]
        public static partial void FlushFailed(ILogger logger, Exception exception);
    }
}
