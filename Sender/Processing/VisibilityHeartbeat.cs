using Notify.Shared.Queue;

namespace Notify.Sender.Processing;

/// <summary>
/// Keeps a message hidden while its deliveries run: every third of the visibility timeout it is hidden
/// for a whole timeout again, so a slow webhook does not make the queue hand it to another receiver.
/// </summary>
/// <remarks>
/// Every message in delivery has one, so it costs one timer and nothing more until its first beat: no
/// loop, no task, and no exception when it ends (a <see cref="PeriodicTimer"/> loop cost a cancelled wait,
/// with its exception and stack trace, per message, as <see cref="SubscriptionWatch"/> once did per delivery).
/// </remarks>
internal sealed partial class VisibilityHeartbeat : IAsyncDisposable
{
    private readonly IMessageQueue _queue;
    private readonly ReceivedMessage _message;
    private readonly TimeSpan _visibilityTimeout;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();

    // Guarded by _gate: an extension under way (at most one), and whether the heartbeat has ended.
    private Task? _extending;
    private CancellationTokenSource? _extendCancel;
    private bool _ended;
    private bool _missedBeat;

    private VisibilityHeartbeat(IMessageQueue queue, ReceivedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger)
    {
        _queue = queue;
        _message = message;
        _visibilityTimeout = visibilityTimeout;
        _logger = logger;
        var beat = visibilityTimeout / 3;
        _timer = timeProvider.CreateTimer(static state => ((VisibilityHeartbeat)state!).Beat(), this, beat, beat);
    }

    public static VisibilityHeartbeat Start(
        IMessageQueue queue, ReceivedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger) =>
        new(queue, message, visibilityTimeout, timeProvider, logger);

    /// <summary>
    /// Stops extending and waits until no extension is in flight (it is cancelled if it has not started),
    /// so a later delete or hand-back is the last word. Never throws: the message's settlement follows it.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task? extending;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            extending = _extending;
            _extendCancel?.Cancel();
        }

        // After _ended: a stale extension stops the timer under the lock only while the heartbeat runs.
        await _timer.DisposeAsync();

        if (extending is not null)
        {
            await extending;
        }

        _extendCancel?.Dispose();
    }

    private void Beat()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            if (_extending is { IsCompleted: false })
            {
                // Made up as soon as the running extension ends: waiting for the next beat instead could
                // let a slow, failed extension run the message into the end of its visibility.
                _missedBeat = true;
                return;
            }

            StartExtension();
        }
    }

    /// <summary>Under <see cref="_gate"/>.</summary>
    private void StartExtension()
    {
        _missedBeat = false;
        _extendCancel ??= new CancellationTokenSource();
        _extending = ExtendAsync(_extendCancel.Token);
    }

    /// <summary>After an extension that did not find the receipt stale: a beat missed meanwhile runs now.</summary>
    private void MakeUpMissedBeat()
    {
        lock (_gate)
        {
            if (_missedBeat && !_ended)
            {
                // Replaces the extension that calls this, which only returns after it.
                StartExtension();
            }
        }
    }

    /// <summary>Never throws: a failed extension is tried again at the next beat.</summary>
    private async Task ExtendAsync(CancellationToken cancellationToken)
    {
        // Off the timer's thread and out of the lock taken by Beat.
        await Task.Yield();
        try
        {
            if (await _queue.ChangeVisibilityAsync(_message.ReceiptHandle, _visibilityTimeout, cancellationToken))
            {
                MakeUpMissedBeat();
                return;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Also one that fails while the heartbeat ends: it was written or not, the settlement decides next.
            Log.ExtendFailed(_logger, ex, _message.Id);
            MakeUpMissedBeat();
            return;
        }
        catch (OperationCanceledException)
        {
            // Cancelled because the delivery ended: nothing to tell.
            return;
        }

        // Stale: the message was received again elsewhere; further beats would be stale too.
        Log.ReceiptStale(_logger, _message.Id);
        lock (_gate)
        {
            if (!_ended)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(230, LogLevel.Warning,
            "Message {MessageId} could not be kept hidden: its receipt is stale, so another receiver may deliver it again",
            EventName = "VisibilityReceiptStale")]
        public static partial void ReceiptStale(ILogger logger, string messageId);

        [LoggerMessage(231, LogLevel.Warning,
            "Extending the visibility of message {MessageId} failed; trying again at the next beat",
            EventName = "VisibilityExtendFailed")]
        public static partial void ExtendFailed(ILogger logger, Exception exception, string messageId);
    }
}
