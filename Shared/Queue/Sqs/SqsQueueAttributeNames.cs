namespace Notify.Shared.Queue.Sqs;

/// <summary>Names of the queue and message attributes Notify reads or sets.</summary>
internal static class SqsQueueAttributeNames
{
    public const string MaximumMessageSize = "MaximumMessageSize";
    public const string MessageRetentionPeriod = "MessageRetentionPeriod";
    public const string VisibilityTimeout = "VisibilityTimeout";
    public const string ApproximateNumberOfMessages = "ApproximateNumberOfMessages";
    public const string ApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible";
    public const string ApproximateNumberOfMessagesDelayed = "ApproximateNumberOfMessagesDelayed";

    // Message system attributes.
    public const string All = "All";
    public const string ApproximateReceiveCount = "ApproximateReceiveCount";
    public const string SentTimestamp = "SentTimestamp";
}
