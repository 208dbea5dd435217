namespace Notify.Cdk.Queue;

public sealed class NotifyQueueProps
{
    public required string ResourcePrefix { get; init; }

    /// <summary>Receives before SQS moves a message to the dead-letter queue (see <see cref="NotifySettings.DeadLetterReceiveCount"/>).</summary>
    public required int DeadLetterReceiveCount { get; init; }
}
