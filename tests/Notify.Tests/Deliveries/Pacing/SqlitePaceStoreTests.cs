using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Deliveries.Pacing;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries.Pacing;

public sealed class SqlitePaceStoreTests : PaceStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override IPaceStore NewStore() => new SqlitePaceStore(_directory.File("deliveries.db"), Clock);

    /// <summary>A line idle for an hour after its next turn is swept with the rest of <c>deliveries.db</c>'s expired rows.</summary>
    [Fact]
    public async Task IdleLine_IsSweptWithTheDeliveryStore()
    {
        var store = NewStore();
        await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default);
        await store.TakeTurnAsync("s2/turns", TimeSpan.FromSeconds(1), default);
        var deliveries = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, Clock);

        Assert.Equal(0, await deliveries.DeleteExpiredAsync(Now.AddHours(1), default));
        Assert.Equal(2, await deliveries.DeleteExpiredAsync(Now.AddHours(1).AddSeconds(1), default));
    }

    public void Dispose() => _directory.Dispose();
}
