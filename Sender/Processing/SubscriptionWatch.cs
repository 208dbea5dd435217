using Notify.Metadata.Store;

namespace Notify.Sender.Processing;

/// <summary>
/// Stops a delivery whose subscription goes away while it runs (deleted, unsubscribed, its topic deleted,
/// or expired unconfirmed). A delivery that ends quickly never looks; one that is still retrying looks
/// every <see cref="SenderOptions.SubscriptionRecheckInterval"/> and cancels <see cref="Token"/> when the
/// subscription is gone, so nobody keeps receiving retries, or a confirmation request, after saying stop.
/// </summary>
/// <remarks>
/// Every delivery has one, so it costs one timer and one linked token source and nothing more until its
/// first look: no loop, no task, and no exception when it ends (a <see cref="PeriodicTimer"/> loop cost a
/// cancelled wait, with its exception and stack trace, per delivery, a fifth of a large fan-out's CPU).
/// </remarks>
internal sealed partial class SubscriptionWatch : IAsyncDisposable
{
    private readonly IMetadataStore _store;
    private readonly string _subscriptionId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();

    // Guarded by _gate: a look under way (at most one), and whether the watch has ended.
    private Task? _looking;
    private CancellationTokenSource? _lookCancel;
    private bool _ended;
    private volatile bool _gone;

    private SubscriptionWatch(
        IMetadataStore store, string subscriptionId, TimeSpan interval, TimeProvider timeProvider, ILogger logger, CancellationToken stop)
    {
        _store = store;
        _subscriptionId = subscriptionId;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _timer = timeProvider.CreateTimer(static state => ((SubscriptionWatch)state!).Tick(), this, interval, interval);
    }

    /// <summary>Cancelled once the subscription is found gone, or when the stop token given to <see cref="Start"/> is.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once the subscription was found gone (and <see cref="Token"/> cancelled).</summary>
    public bool SubscriptionGone => _gone;

    /// <param name="stop">Also cancels <see cref="Token"/> (shutdown).</param>
    public static SubscriptionWatch Start(
        IMetadataStore store, string subscriptionId, TimeSpan interval, TimeProvider timeProvider, ILogger logger, CancellationToken stop) =>
        new(store, subscriptionId, interval, timeProvider, logger, stop);

    /// <summary>Stops looking, and waits for a look under way to end (it is cancelled).</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        Task? looking;
        lock (_gate)
        {
            _ended = true;
            looking = _looking;
            _lookCancel?.Cancel();
        }

        if (looking is not null)
        {
            await looking;
        }

        _lookCancel?.Dispose();
        _stop.Dispose();
    }

    private void Tick()
    {
        lock (_gate)
        {
            if (_ended || _gone || _looking is { IsCompleted: false })
            {
                return;
            }

            _lookCancel ??= new CancellationTokenSource();
            _looking = LookAsync(_lookCancel.Token);
        }
    }

    /// <summary>Never throws: the store may be back at the next look; meanwhile the delivery goes on, as it would have.</summary>
    private async Task LookAsync(CancellationToken cancellationToken)
    {
        // Off the timer's thread and out of the lock taken by Tick.
        await Task.Yield();
        try
        {
            if (await _store.GetSubscriptionAsync(_subscriptionId, cancellationToken) is not null)
            {
                return;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.LookFailed(_logger, ex, _subscriptionId);
            return;
        }
        catch (Exception)
        {
            // Cancelled because the delivery ended: nothing to tell.
            return;
        }

        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _gone = true;
        }

        // Outside the lock: the delivery's cancellation callbacks run here. DisposeAsync waits for this
        // look before disposing _stop, so it is still alive. A callback that throws must not fault the look:
        // DisposeAsync awaits it, and the delivery's slot is released after that.
        try
        {
            await _stop.CancelAsync();
        }
        catch (Exception ex)
        {
            Log.StopFailed(_logger, ex, _subscriptionId);
        }

        Log.Gone(_logger, _subscriptionId);
    }

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

        [LoggerMessage(242, LogLevel.Error,
            "Stopping the delivery in progress of subscription {SubscriptionId}, which is gone, failed in a cancellation callback",
            EventName = "SubscriptionGoneStopFailed")]
        public static partial void StopFailed(ILogger logger, Exception exception, string subscriptionId);
    }
}
