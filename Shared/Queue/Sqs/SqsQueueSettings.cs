using Notify.Shared.Configuration;

namespace Notify.Shared.Queue.Sqs;

/// <summary>Which queue <see cref="SqsMessageQueue"/> uses, whether it may create it, and how it resends failed entries.</summary>
/// <param name="QueueName">The queue's name; Notify's is <c>{Notify:Aws:ResourcePrefix}messages</c>.</param>
/// <param name="CreateResources">Create the queue when missing (<c>Notify:Aws:CreateResources</c>).</param>
internal sealed record SqsQueueSettings(string QueueName, bool CreateResources)
{
    /// <summary>Resends of the entries SQS failed on its side (<c>SenderFault=false</c>); 0 for none.</summary>
    /// <value>The default is 5.</value>
    public int EntryRetries { get; init; } = 5;

    /// <summary>The first resend's delay; each next one doubles it, with jitter.</summary>
    /// <value>The default is 200 ms.</value>
    public TimeSpan EntryRetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <value>The default is 10 s.</value>
    public TimeSpan EntryRetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public static SqsQueueSettings From(AwsOptions aws) => new(aws.ResourcePrefix + "messages", aws.CreateResources);

    /// <summary>
    /// The attributes Notify creates its queue with. Retention is SQS's maximum, 14 days, so a message
    /// whose deliveries keep failing outlives a long outage of its endpoints; the maximum message size is
    /// 1 MiB, as <see cref="IMessageQueue"/> promises (SQS's default is still 256 KiB). Messages are encrypted
    /// at rest with SQS's own keys (SSE-SQS), said explicitly rather than left to the account's default. Infrastructure that
    /// creates the queue should use the same values, or CreateQueue finds a queue with other attributes.
    /// </summary>
    public static IReadOnlyDictionary<string, string> QueueAttributes { get; } = new Dictionary<string, string>
    {
        [SqsQueueAttributeNames.MaximumMessageSize] = "1048576",
        [SqsQueueAttributeNames.MessageRetentionPeriod] = "1209600",
        [SqsQueueAttributeNames.VisibilityTimeout] = "30",
        ["SqsManagedSseEnabled"] = "true",
    };
}
