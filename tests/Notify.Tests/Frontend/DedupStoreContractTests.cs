using Notify.Frontend.Dedup;

namespace Notify.Tests.Frontend;

/// <summary>
/// What every <see cref="IDedupStore"/> promises, run against each implementation by a derived class
/// that says how to open the store and how to let its clock move on.
/// </summary>
public abstract class DedupStoreContractTests
{
    private const string Key = "orders\nk";

    /// <value>The dedup window the stores are opened with; short where only real time can pass.</value>
    protected virtual TimeSpan Window => TimeSpan.FromMinutes(5);

    /// <value>How long a pending claim holds its key; shorter than <see cref="Window"/>, as by default.</value>
    protected virtual TimeSpan Lease => TimeSpan.FromSeconds(30);

    /// <summary>
    /// A store over the same underlying data on every call (a second Frontend, or the same one after a
    /// restart), with a dedup window of <see cref="Window"/> and a lease of <see cref="Lease"/>.
    /// </summary>
    protected abstract IDedupStore NewStore();

    /// <summary>Moves the store's clock on: a manual clock where the store takes one, real time where not.</summary>
    protected abstract Task PassTimeAsync(TimeSpan by);

    protected DedupOptions Settings => new() { Window = Window, PendingLease = Lease };

    [Fact]
    public async Task Claim_IsPending_AndARepeatBeforeTheAcceptSeesItPending()
    {
        var store = NewStore();
        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m1", default));

        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m2", default));
    }

    [Fact]
    public async Task AcceptedClaim_WithinWindow_AnswersRepeatsWithTheFirstMessageId()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);
        await store.AcceptAsync(Key, "m1", default);

        // Past the lease: an accepted claim lives for the window.
        await PassTimeAsync(Lease + (Window - Lease) / 2);

        Assert.Equal(DedupClaim.AcceptedBy("m1"), await store.ClaimAsync(Key, "m2", default));
    }

    [Fact]
    public async Task AcceptedClaim_AfterWindow_IsNewMessage()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);
        await store.AcceptAsync(Key, "m1", default);

        await PassTimeAsync(Window + TimeSpan.FromMilliseconds(100));

        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync(Key, "m2", default));
        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync(Key, "m3", default));
    }

    /// <summary>The Frontend that claimed died before queueing: after the lease, a repeat is accepted, not lost.</summary>
    [Fact]
    public async Task PendingClaim_NeverAccepted_IsTakenOverAfterItsLease()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);

        await PassTimeAsync(Lease + TimeSpan.FromMilliseconds(100));

        Assert.Equal(DedupClaim.Pending("m2"), await NewStore().ClaimAsync(Key, "m2", default));
    }

    [Fact]
    public async Task Accept_OfAClaimTakenOverByAnother_LeavesTheOthersClaim()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);
        await PassTimeAsync(Lease + TimeSpan.FromMilliseconds(100));
        await store.ClaimAsync(Key, "m2", default);

        await store.AcceptAsync(Key, "m1", default);

        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync(Key, "m3", default));
    }

    [Fact]
    public async Task Claim_DifferentKeys_AreIndependent()
    {
        var store = NewStore();
        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m1", default));
        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync("billing\nk", "m2", default));
    }

    [Fact]
    public async Task Release_LetsTheNextPublishClaimTheKey()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);
        await store.ReleaseAsync(Key, "m1", default);

        Assert.Equal(DedupClaim.Pending("m2"), await store.ClaimAsync(Key, "m2", default));
    }

    [Fact]
    public async Task Release_ByAnotherMessage_KeepsTheClaim()
    {
        var store = NewStore();
        await store.ClaimAsync(Key, "m1", default);
        await store.ReleaseAsync(Key, "m2", default);

        Assert.Equal(DedupClaim.Pending("m1"), await store.ClaimAsync(Key, "m3", default));
    }

    [Fact]
    public async Task Claims_AndTheirAcceptance_AreSeenByAnotherStoreOverTheSameData()
    {
        await NewStore().ClaimAsync(Key, "m1", default);
        Assert.Equal(DedupClaim.Pending("m1"), await NewStore().ClaimAsync(Key, "m2", default));

        await NewStore().AcceptAsync(Key, "m1", default);
        Assert.Equal(DedupClaim.AcceptedBy("m1"), await NewStore().ClaimAsync(Key, "m3", default));
    }

    [Fact]
    public async Task ConcurrentClaims_OfOneKey_AgreeOnOneWinner()
    {
        var stores = new[] { NewStore(), NewStore() };
        var holders = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => stores[i % 2].ClaimAsync(Key, $"m{i}", default)));
        Assert.Single(holders.Distinct());
    }
}
