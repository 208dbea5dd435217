using Microsoft.Extensions.Logging;
using Notify.Metadata.Expiry;
using Notify.Shared.Storage;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// Deletes expired dead letters, retries and message statuses and old stats buckets every
/// <see cref="Interval"/>. It starts once the store is there (<see cref="StoreAvailability"/>: a standalone
/// Sender must not create the data files a Frontend creates).
/// </summary>
internal sealed partial class DeliveryExpirySweeper(
    IDeliveryStore store, StoreAvailability availability, TimeProvider clock, ILogger<DeliveryExpirySweeper> logger)
    : StoreSweeper(Interval, clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override Task BeforeFirstSweepAsync(CancellationToken cancellationToken) => availability.WaitAsync(cancellationToken);

    protected override Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(now, cancellationToken);

    protected override void Swept(int count) => Log.Swept(logger, count);

    protected override void SweepFailed(Exception exception) => Log.SweepFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deleted {Count} expired delivery record(s)", EventName = "DeliveriesSwept")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Deleting expired delivery records failed; the next sweep tries again", EventName = "DeliveriesSweepFailed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
