using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Metadata.Store;

namespace Notify.Metadata.Expiry;

/// <summary>
/// Deletes expired pending subscriptions and unsubscribe records older than their retention, every
/// <see cref="SubscriptionOptions.SweepInterval"/>.
/// </summary>
internal sealed partial class ExpirySweeper(
    IMetadataStore store, IOptions<SubscriptionOptions> options, TimeProvider clock, ILogger<ExpirySweeper> logger)
    : StoreSweeper(options.Value.SweepInterval, clock)
{
    protected override Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        store.DeleteExpiredAsync(now, cancellationToken);

    protected override void Swept(int count) => Log.Swept(logger, count);

    protected override void SweepFailed(Exception exception) => Log.SweepFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deleted {Count} expired pending subscription(s) and old unsubscribe record(s)", EventName = "ExpiredSwept")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Warning, "Deleting expired subscriptions failed; the next sweep tries again", EventName = "ExpirySweepFailed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
