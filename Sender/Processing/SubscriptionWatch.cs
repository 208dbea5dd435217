using Notify.Metadata.Store;

namespace Notify.Sender.Processing;

/// <summary>
/// Stops a delivery whose subscription goes away while it runs (deleted, unsubscribed, its topic deleted,
/// or expired unconfirmed). A delivery that ends quickly never looks; one that is still retrying looks
/// every <see cref="SenderOptions.SubscriptionRecheckInterval"/> and cancels <see cref="Token"/> when the
/// subscription is gone, so nobody keeps receiving retries, or a confirmation request, after saying stop.
/// </summary>
internal sealed partial class SubscriptionWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _gone = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private SubscriptionWatch(IMetadataStore store, string subscriptionId, TimeSpan interval, TimeProvider timeProvider, ILogger logger)
    {
        _running = RunAsync(store, subscriptionId, interval, timeProvider, logger);
    }

    /// <summary>Cancelled once the subscription is found gone.</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>True once the subscription was found gone (and <see cref="Token"/> cancelled).</summary>
    public bool SubscriptionGone => _gone.IsCancellationRequested;

    public static SubscriptionWatch Start(IMetadataStore store, string subscriptionId, TimeSpan interval, TimeProvider timeProvider, ILogger logger) =>
        new(store, subscriptionId, interval, timeProvider, logger);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        _gone.Dispose();
    }

    private Task RunAsync(IMetadataStore store, string subscriptionId, TimeSpan interval, TimeProvider timeProvider, ILogger logger) =>
        PeriodicStep.RunAsync(
            interval,
            timeProvider,
            async cancellationToken =>
            {
                if (await store.GetSubscriptionAsync(subscriptionId, cancellationToken) is not null)
                {
                    return true;
                }

                Log.Gone(logger, subscriptionId);
                await _gone.CancelAsync();
                return false;
            },

            // The store may be back at the next look; meanwhile the delivery goes on, as it would have.
            ex => Log.LookFailed(logger, ex, subscriptionId),
            _stop.Token);

    private static partial class Log
    {
        [LoggerMessage(240, LogLevel.Information,
            "Subscription {SubscriptionId} is gone (deleted, unsubscribed or expired): its delivery in progress is stopped",
            EventName = "DeliveryStoppedSubscriptionGone")]
        public static partial void Gone(ILogger logger, string subscriptionId);

        [LoggerMessage(241, LogLevel.Warning,
            "Checking that subscription {SubscriptionId} still exists failed; its delivery goes on",
            EventName = "SubscriptionRecheckFailed")]
        public static partial void LookFailed(ILogger logger, Exception exception, string subscriptionId);
    }
}
