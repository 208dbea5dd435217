using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteMetadataStore _store;

    public SqliteMetadataStoreTests()
    {
        _store = new SqliteMetadataStore(_directory.File("metadata.db"));
    }

    protected override IMetadataStore Store => _store;

    [Fact]
    public async Task Reopen_KeepsTopicsAndSubscriptions()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        var reopened = new SqliteMetadataStore(_directory.File("metadata.db"));

        Assert.NotNull(await reopened.GetTopicAsync("orders", default));
        var stored = await reopened.GetSubscriptionAsync(subscription.Id, default);
        Assert.Equal(subscription, stored);
        Assert.Equal(SubscriptionStatus.Pending, stored!.Status);
    }

    public void Dispose() => _directory.Dispose();
}
