namespace Notify.Cdk.Queue;

public sealed class NotifyQueueProps
{
    public required string ResourcePrefix { get; init; }

    /// <summary>Receives before SQS moves a message to the dead-letter queue: the Sender's <c>Notify:Sender:MaxReceiveCount</c>.</summary>
    public required int MaxReceiveCount { get; init; }
}
