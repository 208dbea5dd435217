namespace Notify.Shared.Queue;

/// <summary>
/// SQS's limits, enforced by every queue, so that a caller which works in Embedded mode does not start
/// failing the day it runs against SQS.
/// </summary>
internal static class QueueLimits
{
    public const int MaxReceiveMessages = 10;

    public const int MaxBodyBytes = 1024 * 1024;

    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);

    /// <summary>SQS's limit on a message's DelaySeconds.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>The argument checks of <see cref="IMessageQueue.ReceiveAsync"/>.</summary>
    public static void CheckReceive(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxReceiveMessages);
        CheckVisibilityTimeout(visibilityTimeout);
        ArgumentOutOfRangeException.ThrowIfLessThan(waitTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(waitTime, MaxWaitTime);
    }

    public static void CheckVisibilityTimeout(TimeSpan visibilityTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(visibilityTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(visibilityTimeout, MaxVisibilityTimeout);
    }

    /// <summary>The check of <see cref="OutgoingMessage.Delay"/>, for every message of a send before any is stored.</summary>
    public static void CheckDelay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(OutgoingMessage.Delay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, MaxDelay, nameof(OutgoingMessage.Delay));
    }
}
