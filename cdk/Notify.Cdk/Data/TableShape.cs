namespace Notify.Cdk.Data;

/// <summary>A DynamoDB key attribute: its name and type ("S" or "N").</summary>
public sealed record KeyAttribute(string Name, string Type = "S");

/// <summary>A secondary index: its name and keys; every index Notify queries projects ALL attributes.</summary>
public sealed record IndexShape(string Name, KeyAttribute PartitionKey, KeyAttribute SortKey);

/// <summary>
/// One of Aws mode's tables as Notify creates it when allowed to (its CreateTableRequest): the name after
/// <c>Notify:Aws:ResourcePrefix</c>, the keys, the indexes and the TTL attribute.
/// </summary>
public sealed record TableShape(
    string NameSuffix,
    KeyAttribute PartitionKey,
    KeyAttribute SortKey,
    IReadOnlyList<IndexShape> LocalIndexes,
    IReadOnlyList<IndexShape> GlobalIndexes,
    string TimeToLiveAttribute);
