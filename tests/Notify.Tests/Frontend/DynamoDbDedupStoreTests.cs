using System.Globalization;
using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Frontend;

/// <summary>The dedup contract against dynalite, with a manual clock: expiry is the store's own check, never TTL.</summary>
public sealed class DynamoDbDedupStoreTests(DynaliteServer server) : DedupStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private readonly FakeTimeProvider _clock = new();

    public Task InitializeAsync() => _dynamo.Tables().EnsureCreatedAsync(default);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    protected override IDedupStore NewStore() =>
        new DynamoDbDedupStore(_dynamo.Client, Options.Create(_dynamo.Options), Options.Create(Settings), _clock);

    protected override Task PassTimeAsync(TimeSpan by)
    {
        _clock.Advance(by);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Claim_StoresItsExpiryInEpochSeconds_ForTtl_TheLeaseWhilePending_TheWindowOnceAccepted()
    {
        var store = NewStore();
        await store.ClaimAsync("orders\nk", "m1", default);

        var pending = await ItemAsync("orders\nk");
        Assert.Equal((_clock.GetUtcNow() + Lease).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), pending[DedupItems.ExpiresAt].N);
        Assert.Equal("m1", pending[DedupItems.MessageId].S);
        Assert.True(pending[DedupItems.Pending].BOOL);

        _clock.Advance(TimeSpan.FromSeconds(3));
        await store.AcceptAsync("orders\nk", "m1", default);

        var accepted = await ItemAsync("orders\nk");
        Assert.Equal((_clock.GetUtcNow() + Window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), accepted[DedupItems.ExpiresAt].N);
        Assert.False(accepted.ContainsKey(DedupItems.Pending));
    }

    /// <summary>Items written before claims had two phases carry no pending flag: they were accepted claims.</summary>
    [Fact]
    public async Task ItemWithoutAPendingFlag_ReadsAsAccepted()
    {
        await _dynamo.Client.PutItemAsync(_dynamo.Names.Dedup, new()
        {
            [DedupItems.Key] = new() { S = "orders\nold" },
            [DedupItems.MessageId] = new() { S = "m0" },
            [DedupItems.ExpiresAt] = new() { N = (_clock.GetUtcNow() + Window).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        });

        Assert.Equal(DedupClaim.AcceptedBy("m0"), await NewStore().ClaimAsync("orders\nold", "m1", default));
    }

    private async Task<Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>> ItemAsync(string key) =>
        (await _dynamo.Client.GetItemAsync(_dynamo.Names.Dedup, new() { [DedupItems.Key] = new() { S = key } }, consistentRead: true)).Item;

    [Fact]
    public async Task Claim_OfAKeyLongerThanAPartitionKeyMayBe_IsDeduplicated()
    {
        var key = "orders\n" + new string('k', 3000);
        Assert.Equal(DedupClaim.Pending("m1"), await NewStore().ClaimAsync(key, "m1", default));
        Assert.Equal(DedupClaim.Pending("m1"), await NewStore().ClaimAsync(key, "m2", default));
    }
}
