namespace Notify.Shared.Dependencies;

/// <summary>The names <see cref="DependencyUnavailableException.Dependency"/> gives, one per dependency.</summary>
public static class DependencyNames
{
    public const string Sqs = "the message queue (SQS)";
    public const string DynamoDb = "the metadata database (DynamoDB)";
    public const string DataFiles = "its data files (is the disk full or read-only?)";
    public const string DedupTable = "the dedup table (DynamoDB)";
    public const string DeliveriesTable = "the deliveries table (DynamoDB)";
    public const string DedupRing = "the dedup store (the Redis ring)";
}
