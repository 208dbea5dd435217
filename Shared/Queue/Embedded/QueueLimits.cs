namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// SQS's limits, enforced by the embedded queue too, so that a caller which works in Embedded mode does
/// not start failing the day it runs against SQS.
/// </summary>
internal static class QueueLimits
{
    public const int MaxReceiveMessages = 10;

    public const int MaxBodyBytes = 1024 * 1024;

    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromHours(12);

    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromSeconds(20);
}
