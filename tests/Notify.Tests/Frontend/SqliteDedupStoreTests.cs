using Microsoft.Extensions.Options;
using Notify.Frontend.Dedup;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

public sealed class SqliteDedupStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new();

    private SqliteDedupStore NewStore() =>
        new(_directory.File("dedup.db"), Options.Create(new DedupOptions { Window = TimeSpan.FromMinutes(5) }), _clock);

    [Fact]
    public async Task Claim_WithinWindow_ReturnsFirstMessageId()
    {
        var store = NewStore();
        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m1", default));

        _clock.Advance(TimeSpan.FromMinutes(4.9));

        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m2", default));
    }

    [Fact]
    public async Task Claim_AfterWindow_IsNewMessage()
    {
        var store = NewStore();
        await store.ClaimAsync("orders\nk", "m1", default);

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("m2", await store.ClaimAsync("orders\nk", "m2", default));
        Assert.Equal("m2", await store.ClaimAsync("orders\nk", "m3", default));
    }

    [Fact]
    public async Task Claim_DifferentKeys_AreIndependent()
    {
        var store = NewStore();
        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m1", default));
        Assert.Equal("m2", await store.ClaimAsync("billing\nk", "m2", default));
    }

    [Fact]
    public async Task Release_LetsTheNextPublishClaimTheKey()
    {
        var store = NewStore();
        await store.ClaimAsync("orders\nk", "m1", default);
        await store.ReleaseAsync("orders\nk", "m1", default);

        Assert.Equal("m2", await store.ClaimAsync("orders\nk", "m2", default));
    }

    [Fact]
    public async Task Release_ByAnotherMessage_KeepsTheClaim()
    {
        var store = NewStore();
        await store.ClaimAsync("orders\nk", "m1", default);
        await store.ReleaseAsync("orders\nk", "m2", default);

        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m3", default));
    }

    [Fact]
    public async Task Claims_SurviveReopen()
    {
        await NewStore().ClaimAsync("orders\nk", "m1", default);
        Assert.Equal("m1", await NewStore().ClaimAsync("orders\nk", "m2", default));
    }

    [Fact]
    public async Task ConcurrentClaims_OfOneKey_AgreeOnOneWinner()
    {
        var store = NewStore();
        var holders = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.ClaimAsync("orders\nk", $"m{i}", default)));
        Assert.Single(holders.Distinct());
    }

    public void Dispose() => _directory.Dispose();
}
