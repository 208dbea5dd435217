using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Shared.Queue;
using Notify.Shared.Storage;

namespace Notify.Shared.Metrics;

/// <summary>
/// Asks the queue for its depth every <see cref="Interval"/> and stores it in <see cref="NotifyMetrics"/>,
/// because a gauge's callback runs on every scrape and must not wait on the queue. Starts once the store
/// exists: the queue is built only then, since opening the embedded queue would create its file (see
/// <see cref="StoreAvailability"/>). A failed sample keeps the last values; the next one tries again.
/// </summary>
internal sealed partial class QueueDepthSampler(
    StoreAvailability store,
    IServiceProvider services,
    NotifyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<QueueDepthSampler> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.WaitAsync(stoppingToken);
            var queue = services.GetRequiredService<IMessageQueue>();
            using var timer = new PeriodicTimer(Interval, timeProvider);
            do
            {
                await SampleAsync(queue, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync(IMessageQueue queue, CancellationToken stoppingToken)
    {
        try
        {
            metrics.QueueDepthSampled(await queue.GetDepthAsync(stoppingToken));
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Debug only: an unreachable queue is reported by /readyz and by the Sender's own logs.
            Log.SampleFailed(logger, exception.GetType().Name, exception.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(900, LogLevel.Debug, "Could not sample the queue's depth ({ExceptionType}: {Reason}); notify.queue.messages keeps its last values", EventName = "QueueDepthSampleFailed")]
        public static partial void SampleFailed(ILogger logger, string exceptionType, string reason);
    }
}
