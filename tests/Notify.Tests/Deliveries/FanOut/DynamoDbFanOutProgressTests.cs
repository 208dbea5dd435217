using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Deliveries.FanOut;

public sealed class DynamoDbFanOutProgressTests(DynaliteServer server) : FanOutProgressContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private DynamoDbFanOutProgress? _progress;

    protected override IFanOutProgress Progress => _progress!;

    public async Task InitializeAsync()
    {
        var tables = new DynamoDbTables(_dynamo.Client, Options.Create(_dynamo.Options), [DeliveriesTable.For(_dynamo.Options)], NullLogger<DynamoDbTables>.Instance);
        await tables.EnsureCreatedAsync(default);
        _progress = new DynamoDbFanOutProgress(_dynamo.Client, Options.Create(_dynamo.Options), Clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();
}
