namespace Notify.Frontend.Dedup;

/// <summary>
/// The dedup table's attributes, shared by its definition (<see cref="DedupTable"/>) and
/// <see cref="DynamoDbDedupStore"/>. One item per dedup key: the message id that holds it and when it expires.
/// </summary>
internal static class DedupItems
{
    /// <summary>Partition key (S): the topic-scoped dedup key.</summary>
    public const string Key = "dedupKey";

    /// <summary>The message id that claimed the key (S).</summary>
    public const string MessageId = "messageId";

    /// <summary>Epoch seconds (N) after which the claim is dead; the table's TTL attribute.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>
    /// Present (BOOL true) while the claim is pending, i.e. its message is not yet queued; removed when the
    /// message is accepted. Absent on items written before claims had two phases, which were all accepted.
    /// </summary>
    public const string Pending = "pending";
}
