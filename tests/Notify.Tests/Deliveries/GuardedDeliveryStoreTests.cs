using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Store;
using Notify.Shared.Dependencies;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries;

/// <summary>Outages of the store become <see cref="DependencyUnavailableException"/> (503 at the API); other errors pass as they are.</summary>
public sealed class GuardedDeliveryStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task UnopenableFile_IsTheDataFilesOutage()
    {
        var store = new GuardedDeliveryStore(
            new SqliteDeliveryStore(Path.Combine(_directory.File("missing"), "deliveries.db"), TestCipher.Instance, TimeProvider.System), DependencyGuard.DataFiles);

        var outage = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetMessageOutcomeAsync("m", default));

        Assert.Equal(DependencyNames.DataFiles, outage.Dependency);
    }

    [Fact]
    public async Task BadCursor_PassesAsItIs()
    {
        var store = new GuardedDeliveryStore(new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, TimeProvider.System), DependencyGuard.DataFiles);

        await Assert.ThrowsAsync<InvalidCursorException>(() => store.ListDeadLettersAsync("sub-a", null, 10, "not-base64!", default));
    }

    public void Dispose() => _directory.Dispose();
}
