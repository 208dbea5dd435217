using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Deliveries.DynamoDb;

/// <summary>
/// The deliveries table, <c>{ResourcePrefix}deliveries</c>, as Notify creates it (infrastructure that creates
/// it must declare the same): on-demand billing like the metadata table, TTL on <see cref="DeliveryKeys.TimeToLive"/>,
/// a local index ordering a subscription's retries by next attempt (strongly consistent; an LSI can only be
/// declared when the table is created) and a sparse global index finding a message's retries (eventually consistent).
/// </summary>
internal static class DeliveriesTable
{
    public static string NameFor(AwsOptions options) => options.ResourcePrefix + "deliveries";

    public static DynamoDbTable For(AwsOptions options) => new(Definition(NameFor(options)), DeliveryKeys.TimeToLive);

    public static CreateTableRequest Definition(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(DeliveryKeys.Pk, ScalarAttributeType.S),
            new AttributeDefinition(DeliveryKeys.Sk, ScalarAttributeType.S),
            new AttributeDefinition(DeliveryKeys.NextAttemptAt, ScalarAttributeType.N),
            new AttributeDefinition(DeliveryKeys.RetryMessageId, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(DeliveryKeys.Pk, KeyType.HASH), new KeySchemaElement(DeliveryKeys.Sk, KeyType.RANGE)],
        LocalSecondaryIndexes =
        [
            new LocalSecondaryIndex
            {
                IndexName = DeliveryKeys.RetriesByNextAttempt,
                KeySchema = [new KeySchemaElement(DeliveryKeys.Pk, KeyType.HASH), new KeySchemaElement(DeliveryKeys.NextAttemptAt, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = DeliveryKeys.RetriesByMessage,
                KeySchema = [new KeySchemaElement(DeliveryKeys.RetryMessageId, KeyType.HASH), new KeySchemaElement(DeliveryKeys.Pk, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            },
        ],
    };
}
