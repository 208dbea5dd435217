using Notify.Shared.Configuration;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>The tables of one Notify installation: <c>{ResourcePrefix}metadata</c> and <c>{ResourcePrefix}dedup</c>.</summary>
internal sealed record DynamoDbTableNames(string Metadata, string Dedup)
{
    public static DynamoDbTableNames From(AwsOptions options) =>
        new(options.ResourcePrefix + "metadata", options.ResourcePrefix + "dedup");
}
