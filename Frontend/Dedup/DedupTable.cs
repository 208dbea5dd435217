using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Configuration;

namespace Notify.Frontend.Dedup;

/// <summary>
/// The dedup table, <c>{ResourcePrefix}dedup</c>, as Notify creates it (infrastructure that creates it must declare the same):
/// one item per dedup key (<see cref="DedupItems"/>), on-demand billing like the metadata table, and TTL on
/// <see cref="DedupItems.ExpiresAt"/>. Registered for the start-up check of Aws mode's tables
/// (<see cref="DynamoDbTables"/>) when the dedup store is DynamoDB's.
/// </summary>
internal static class DedupTable
{
    public static string NameFor(AwsOptions options) => options.ResourcePrefix + "dedup";

    public static DynamoDbTable For(AwsOptions options) => new(
        new CreateTableRequest
        {
            TableName = NameFor(options),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition(DedupItems.Key, ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement(DedupItems.Key, KeyType.HASH)],
        },
        DedupItems.ExpiresAt);
}
