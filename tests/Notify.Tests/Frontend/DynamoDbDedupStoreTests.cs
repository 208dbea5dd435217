using System.Globalization;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Frontend;

/// <summary>The dedup contract against dynalite, with a manual clock: expiry is the store's own check, never TTL.</summary>
public sealed class DynamoDbDedupStoreTests(DynaliteServer server) : DedupStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private readonly ManualTimeProvider _clock = new();

    public Task InitializeAsync() => _dynamo.Tables().EnsureCreatedAsync(default);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    protected override IDedupStore NewStore() =>
        new DynamoDbDedupStore(_dynamo.Client, Options.Create(_dynamo.Options), Options.Create(new DedupOptions { Window = Window }), _clock);

    protected override Task PassTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Claim_StoresItsExpiryInEpochSeconds_ForTtl()
    {
        await NewStore().ClaimAsync("orders\nk", "m1", default);

        var item = (await _dynamo.Client.GetItemAsync(_dynamo.Names.Dedup, new() { [DedupItems.Key] = new() { S = "orders\nk" } }, consistentRead: true)).Item;

        Assert.Equal((_clock.GetUtcNow() + Window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), item[DedupItems.ExpiresAt].N);
        Assert.Equal("m1", item[DedupItems.MessageId].S);
    }

    [Fact]
    public async Task Claim_OfAKeyLongerThanAPartitionKeyMayBe_IsDeduplicated()
    {
        var key = "orders\n" + new string('k', 3000);
        Assert.Equal("m1", await NewStore().ClaimAsync(key, "m1", default));
        Assert.Equal("m1", await NewStore().ClaimAsync(key, "m2", default));
    }
}
