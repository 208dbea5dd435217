using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Configuration;
using Notify.TestServers;

namespace Notify.Tests.Support;

/// <summary>
/// One test's corner of a dynalite server: its own resource prefix, so its tables are its own, and a
/// client built the way Notify builds it (any credentials: dynalite checks none).
/// </summary>
internal sealed class LocalDynamoDb : IDisposable
{
    public LocalDynamoDb(DynaliteServer server, bool createResources = true)
    {
        Options = new AwsOptions
        {
            DynamoDbServiceUrl = server.ServiceUrl,
            ResourcePrefix = $"t{Guid.NewGuid():N}"[..13] + "-",
            CreateResources = createResources,
        };
        Client = DynamoDbClientFactory.Create(Options, new BasicAWSCredentials("local", "local"));
    }

    public AwsOptions Options { get; }

    public AmazonDynamoDBClient Client { get; }

    public (string Metadata, string Dedup) Names => (TableDefinitions.MetadataName(Options), DedupTable.NameFor(Options));

    /// <summary>The start-up check with both tables registered, as a Frontend whose dedup claims live in DynamoDB has it.</summary>
    public DynamoDbTables Tables(Microsoft.Extensions.Logging.ILogger<DynamoDbTables>? logger = null) =>
        new(Client, Microsoft.Extensions.Options.Options.Create(Options), [TableDefinitions.Metadata(Options), DedupTable.For(Options)], logger ?? NullLogger<DynamoDbTables>.Instance);

    public void Dispose() => Client.Dispose();
}
