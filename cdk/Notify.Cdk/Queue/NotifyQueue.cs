using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Notify.Cdk.Queue;

/// <summary>
/// Aws mode's queue, <c>{prefix}messages</c>, with the attributes Notify creates it with
/// (Shared/Queue/Sqs/SqsQueueSettings.cs: 1 MiB messages, 14 days' retention, 30 s visibility, SSE-SQS),
/// and a dead-letter queue. The Sender deletes a message whose deliveries failed unexpectedly on its
/// MaxReceiveCount-th receive; SQS moves a message to the DLQ only after many more receives
/// (<see cref="NotifySettings.DeadLetterReceiveCount"/>), so hand-backs under load never send it there and
/// the DLQ holds what no Sender could even handle. The DLQ keeps messages 14 days from when they were
/// first sent (SQS keeps the original timestamp on a move), SQS's longest.
/// </summary>
public sealed class NotifyQueue : Construct
{
    /// <summary>SQS's largest message (1 MiB), the size <c>IMessageQueue</c> promises.</summary>
    public const int MaximumMessageSize = 1048576;

    public NotifyQueue(Construct scope, string id, NotifyQueueProps props) : base(scope, id)
    {
        DeadLetters = new Amazon.CDK.AWS.SQS.Queue(this, "DeadLetters", new QueueProps
        {
            QueueName = props.ResourcePrefix + "messages-dead-letters",
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });

        Messages = new Amazon.CDK.AWS.SQS.Queue(this, "Messages", new QueueProps
        {
            QueueName = props.ResourcePrefix + "messages",
            RetentionPeriod = Duration.Days(14),
            VisibilityTimeout = Duration.Seconds(30),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetters, MaxReceiveCount = props.DeadLetterReceiveCount },
        });
        // Set on the resource: this CDK version still checks the size against SQS's old 256 KiB limit.
        ((CfnQueue)Messages.Node.DefaultChild!).MaximumMessageSize = MaximumMessageSize;
        ((CfnQueue)DeadLetters.Node.DefaultChild!).MaximumMessageSize = MaximumMessageSize;
    }

    public Amazon.CDK.AWS.SQS.Queue Messages { get; }

    public Amazon.CDK.AWS.SQS.Queue DeadLetters { get; }
}
