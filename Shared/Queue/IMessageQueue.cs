namespace Notify.Shared.Queue;

/// <summary>
/// The temporary storage between Frontend and Sender, with SQS's semantics: a received message is
/// hidden for a visibility timeout and comes back unless it is deleted, so delivery is at least once.
/// </summary>
public interface IMessageQueue
{
    /// <summary>
    /// Stores the messages. When the returned task completes they are durable: a crash of any process
    /// afterwards does not lose them.
    /// </summary>
    /// <remarks>
    /// Bodies are at most 1 MiB of UTF-8 (<see cref="ArgumentException"/> beyond); a
    /// <see cref="OutgoingMessage.Delay"/> is 0 to 15 minutes (<see cref="ArgumentOutOfRangeException"/>
    /// outside). A message that fails these checks fails the call before any of its messages is stored.
    /// After a cancellation the messages may or may not be stored; an implementation that knows says so.
    /// </remarks>
    Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> visible messages and hides them for
    /// <paramref name="visibilityTimeout"/>. Waits up to <paramref name="waitTime"/> for one to arrive
    /// when none is visible (long polling); an empty list means none arrived in time.
    /// </summary>
    /// <remarks>
    /// SQS's limits hold for every implementation: <paramref name="maxMessages"/> 1 to 10,
    /// <paramref name="visibilityTimeout"/> 0 to 12 hours (SQS counts whole seconds),
    /// <paramref name="waitTime"/> 0 to 20 seconds; <see cref="ArgumentOutOfRangeException"/> outside them.
    /// Cancellation throws <see cref="OperationCanceledException"/>; whatever a cancelled receive had
    /// already hidden comes back after its visibility timeout.
    /// </remarks>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(
        int maxMessages,
        TimeSpan visibilityTimeout,
        TimeSpan waitTime,
        CancellationToken cancellationToken);

    /// <summary>Removes a message for good. Deleting one that is already gone is not an error.</summary>
    Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken);

    /// <summary>
    /// Hides the message for <paramref name="visibilityTimeout"/> from now; <see cref="TimeSpan.Zero"/>
    /// hands it back to the queue at once. Returns false when the handle is stale: the message was
    /// deleted, or (where the queue can tell; SQS does not promise it) received again by someone else.
    /// </summary>
    Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    /// <summary>How many messages wait, are in flight and are delayed (approximate, as in SQS).</summary>
    Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken);
}

/// <summary>A message to store.</summary>
/// <param name="Id">A caller-chosen unique id (the Notify message id), kept with the message.</param>
/// <param name="Body">The payload, at most 1 MiB of text.</param>
/// <param name="Delay">
/// How long the message stays hidden from receivers after it is stored: it is durable as soon as the
/// send completes, but no receive returns it before the delay has passed (how the Sender schedules a
/// delivery retry). 0 (the default, visible at once) to 15 minutes, SQS's DelaySeconds limit, which holds for
/// every implementation. SQS counts whole seconds, so its queue rounds a fractional delay up; the
/// embedded queue keeps milliseconds.
/// </param>
public sealed record OutgoingMessage(string Id, string Body, TimeSpan Delay = default);

/// <param name="Id">The id given at send time.</param>
/// <param name="ReceiptHandle">Names this receipt; used to delete or change visibility. Opaque to callers.</param>
/// <param name="ReceiveCount">How many times the message has been received, this time included.</param>
/// <param name="SentAt">When the message was stored.</param>
public sealed record ReceivedMessage(string Id, string ReceiptHandle, string Body, int ReceiveCount, DateTimeOffset SentAt);

/// <param name="Waiting">Messages visible now.</param>
/// <param name="InFlight">Messages received and not yet deleted or visible again.</param>
/// <param name="Delayed">
/// Messages sent with a <see cref="OutgoingMessage.Delay"/> that has not passed yet (never received so far;
/// SQS's ApproximateNumberOfMessagesDelayed).
/// </param>
public readonly record struct QueueDepth(long Waiting, long InFlight, long Delayed);
