using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// The metadata table as Notify creates it (infrastructure that creates it must declare the same), and the check that an
/// existing table fits what Notify needs. On demand billing: the load is spiky (publishes) and small
/// (metadata), and no capacity has to be planned per installation. <see cref="DynamoDbTables"/> enables
/// TTL afterwards on <see cref="MetadataKeys.TimeToLive"/> (infrastructure that creates the table declares it as the TTL attribute).
/// </summary>
internal static class TableDefinitions
{
    /// <summary>The metadata table's name in this installation: <c>{ResourcePrefix}metadata</c>.</summary>
    public static string MetadataName(AwsOptions options) => options.ResourcePrefix + "metadata";

    public static DynamoDbTable Metadata(AwsOptions options) => new(Metadata(MetadataName(options)), MetadataKeys.TimeToLive);

    public static CreateTableRequest Metadata(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            StringAttribute(MetadataKeys.Pk),
            StringAttribute(MetadataKeys.Sk),
            StringAttribute(MetadataKeys.SubscriptionId),
            StringAttribute(MetadataKeys.TopicList),
            StringAttribute(MetadataKeys.TopicName),
        ],
        KeySchema = [Hash(MetadataKeys.Pk), Range(MetadataKeys.Sk)],
        // Strongly consistent, so a topic's subscriptions page in creation order including the one
        // subscribed a moment ago. An LSI can only be declared when the table is created.
        LocalSecondaryIndexes =
        [
            new LocalSecondaryIndex
            {
                IndexName = MetadataKeys.SubscriptionsById,
                KeySchema = [Hash(MetadataKeys.Pk), Range(MetadataKeys.SubscriptionId)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
        // Only topic items carry the hash key, so this index is the topic list in name order.
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = MetadataKeys.TopicsByName,
                KeySchema = [Hash(MetadataKeys.TopicList), Range(MetadataKeys.TopicName)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };

    /// <summary>
    /// What an existing table lacks that <paramref name="expected"/> needs (key schema, indexes), or
    /// null when it fits: a table made by hand with another layout fails at start-up, not at the first query.
    /// </summary>
    public static string? Mismatch(CreateTableRequest expected, TableDescription actual)
    {
        if (!SameKeys(expected.KeySchema, actual.KeySchema))
        {
            return $"its key schema is {Describe(actual.KeySchema)}, Notify needs {Describe(expected.KeySchema)}";
        }

        foreach (var index in expected.LocalSecondaryIndexes ?? [])
        {
            if (actual.LocalSecondaryIndexes?.Find(i => i.IndexName == index.IndexName) is not { } found || !SameKeys(index.KeySchema, found.KeySchema))
            {
                return $"it has no local secondary index {index.IndexName} {Describe(index.KeySchema)}";
            }
        }

        foreach (var index in expected.GlobalSecondaryIndexes ?? [])
        {
            if (actual.GlobalSecondaryIndexes?.Find(i => i.IndexName == index.IndexName) is not { } found || !SameKeys(index.KeySchema, found.KeySchema))
            {
                return $"it has no global secondary index {index.IndexName} {Describe(index.KeySchema)}";
            }
        }

        return null;
    }

    private static bool SameKeys(List<KeySchemaElement> expected, List<KeySchemaElement>? actual) =>
        actual is not null && expected.Select(Describe).SequenceEqual(actual.Select(Describe));

    private static string Describe(List<KeySchemaElement>? keys) => "(" + string.Join(", ", (keys ?? []).Select(Describe)) + ")";

    private static string Describe(KeySchemaElement key) => $"{key.AttributeName} {key.KeyType}";

    private static AttributeDefinition StringAttribute(string name) => new() { AttributeName = name, AttributeType = ScalarAttributeType.S };

    private static KeySchemaElement Hash(string name) => new() { AttributeName = name, KeyType = KeyType.HASH };

    private static KeySchemaElement Range(string name) => new() { AttributeName = name, KeyType = KeyType.RANGE };
}
