namespace Notify.Cdk.Data;

/// <summary>
/// The tables the Frontend and the Sender check at start in Aws mode, as Notify declares them in
/// Metadata/Store/DynamoDb/TableDefinitions.cs and Metadata/Deliveries/DynamoDb/DeliveriesTable.cs
/// (the tests compare these with those definitions). The dedup table is left out: with a Redis ring,
/// dedup claims live on the ring and no process uses it.
/// </summary>
public static class NotifyTableShapes
{
    public static TableShape Metadata { get; } = new(
        "metadata",
        new("pk"),
        new("sk"),
        [new("subscriptions-by-id", new("pk"), new("subscriptionId"))],
        [new("topics-by-name", new("topicList"), new("topicName"))],
        "ttl");

    public static TableShape Deliveries { get; } = new(
        "deliveries",
        new("pk"),
        new("sk"),
        [new("retries-by-next-attempt", new("pk"), new("nextAttemptAt", "N"))],
        [new("retries-by-message", new("retryMessageId"), new("pk"))],
        "ttl");

    public static IReadOnlyList<TableShape> All { get; } = [Metadata, Deliveries];
}
