using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Metadata.Store;

namespace Notify.Metadata.Expiry;

/// <summary>
/// Deletes expired pending subscriptions and unsubscribe records older than their retention, every
/// <see cref="SubscriptionOptions.SweepInterval"/>. Reads already ignore them; this keeps the store from
/// growing with them. One failed sweep is logged and the next one tries again.
/// </summary>
internal sealed partial class ExpirySweeper(
    IMetadataStore store, IOptions<SubscriptionOptions> options, TimeProvider clock, ILogger<ExpirySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        try
        {
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
        [LoggerMessage(1, LogLevel.Information, "Deleted {Count} expired pending subscription(s) and old unsubscribe record(s)", EventName = "ExpiredSwept")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Deleting expired subscriptions failed; the next sweep tries again", EventName = "ExpirySweepFailed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
