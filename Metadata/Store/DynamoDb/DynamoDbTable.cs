using Amazon.DynamoDBv2.Model;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// A DynamoDB table a part of Notify needs in Aws mode, as Notify creates it, and the attribute DynamoDB's
/// TTL deletes its expired items by (TTL cannot be part of a CreateTable request). Each part registers its
/// own: the metadata store its table (<see cref="TableDefinitions.Metadata(Notify.Shared.Configuration.AwsOptions)"/>),
/// the Frontend's dedup store the dedup table; <see cref="DynamoDbTables"/> checks every registered one at start.
/// </summary>
public sealed record DynamoDbTable(CreateTableRequest Definition, string TimeToLiveAttribute)
{
    public string Name => Definition.TableName;
}
