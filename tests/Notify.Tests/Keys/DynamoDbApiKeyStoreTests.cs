using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Keys;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Keys;

/// <summary>The key store contract against dynalite, in the metadata table as Notify creates it.</summary>
public sealed class DynamoDbApiKeyStoreTests(DynaliteServer server) : ApiKeyStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);

    protected override IApiKeyStore NewStore() => new DynamoDbApiKeyStore(_dynamo.Client, Options.Create(_dynamo.Options));

    public async Task InitializeAsync()
    {
        var tables = new DynamoDbTables(_dynamo.Client, Options.Create(_dynamo.Options), [TableDefinitions.Metadata(_dynamo.Options)], NullLogger<DynamoDbTables>.Instance);
        await tables.EnsureCreatedAsync(default);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();
}
