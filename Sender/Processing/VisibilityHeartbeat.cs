using Notify.Shared.Queue;

namespace Notify.Sender.Processing;

/// <summary>
/// Keeps a message hidden while its deliveries run: every third of the visibility timeout it is hidden
/// for a whole timeout again, so a slow webhook does not make the queue hand it to another receiver.
/// </summary>
internal sealed partial class VisibilityHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private VisibilityHeartbeat(IMessageQueue queue, ReceivedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger)
    {
        _running = RunAsync(queue, message, visibilityTimeout, timeProvider, logger, _stop.Token);
    }

    public static VisibilityHeartbeat Start(
        IMessageQueue queue, ReceivedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger) =>
        new(queue, message, visibilityTimeout, timeProvider, logger);

    /// <summary>Stops extending and waits until no extension is in flight, so a later delete or hand-back is the last word.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private static Task RunAsync(
        IMessageQueue queue, ReceivedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger,
        CancellationToken stop) =>
        PeriodicStep.RunAsync(
            visibilityTimeout / 3,
            timeProvider,
            async cancellationToken =>
            {
                if (await queue.ChangeVisibilityAsync(message.ReceiptHandle, visibilityTimeout, cancellationToken))
                {
                    return true;
                }

                Log.ReceiptStale(logger, message.Id);
                return false;
            },
            ex => Log.ExtendFailed(logger, ex, message.Id),
            stop);

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
