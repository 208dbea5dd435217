using Notify.Frontend.Dedup;

namespace Notify.Tests.Frontend;

/// <summary>
/// What every <see cref="IDedupStore"/> promises, run against each implementation by a derived class
/// that says how to open the store and how to let its clock move on.
/// </summary>
public abstract class DedupStoreContractTests
{
    /// <value>The dedup window the stores are opened with; short where only real time can pass.</value>
    protected virtual TimeSpan Window => TimeSpan.FromMinutes(5);

    /// <summary>
    /// A store over the same underlying data on every call (a second Frontend, or the same one after a
    /// restart), with a dedup window of <see cref="Window"/>.
    /// </summary>
    protected abstract IDedupStore NewStore();

    /// <summary>Moves the store's clock on: a manual clock where the store takes one, real time where not.</summary>
    protected abstract Task PassTimeAsync(TimeSpan by);

    [Fact]
    public async Task Claim_WithinWindow_ReturnsFirstMessageId()
    {
        var store = NewStore();
        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m1", default));

        await PassTimeAsync(Window / 2);

        Assert.Equal("m1", await store.ClaimAsync("orders\nk", "m2", default));
    }

    [Fact]
    public async Task Claim_AfterWindow_IsNewMessage()
    {
        var store = NewStore();
        await store.ClaimAsync("orders\nk", "m1", default);

        await PassTimeAsync(Window + TimeSpan.FromMilliseconds(100));

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
    public async Task Claims_AreSeenByAnotherStoreOverTheSameData()
    {
        await NewStore().ClaimAsync("orders\nk", "m1", default);
        Assert.Equal("m1", await NewStore().ClaimAsync("orders\nk", "m2", default));
    }

    [Fact]
    public async Task ConcurrentClaims_OfOneKey_AgreeOnOneWinner()
    {
        var stores = new[] { NewStore(), NewStore() };
        var holders = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[i % 2].ClaimAsync("orders\nk", $"m{i}", default)));
        Assert.Single(holders.Distinct());
    }
}
