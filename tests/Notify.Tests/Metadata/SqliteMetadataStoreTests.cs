using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    /// <summary>The metadata tables as the version before delivery errors and opt-outs created them.</summary>
    private const string PreviousSchema = """
        CREATE TABLE topics (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
            protocol TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            status TEXT NOT NULL,
            confirm_token TEXT NOT NULL,
            unsubscribe_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            confirmed_at INTEGER,
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX subscriptions_by_topic ON subscriptions (topic, id);
        """;

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

    /// <summary>
    /// A file made by the version before delivery errors and opt-outs (its schema, written out here as it
    /// was) gains the new columns and table at open, and keeps its rows.
    /// </summary>
    [Fact]
    public async Task FileOfThePreviousSchema_IsMigratedAtOpen()
    {
        var path = _directory.File("previous.db");
        var previous = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        await previous.ExecuteAsync(PreviousSchema);
        await previous.ExecuteAsync("""
            INSERT INTO topics VALUES ('alerts', 0);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'sms', '+15551230001', 'confirmed', 'c', 'u', 0, 1000);
            """);
        var error = new DeliveryError("21610", "Unsubscribed recipient", DateTimeOffset.FromUnixTimeMilliseconds(2000));

        var store = new SqliteMetadataStore(path);
        var old = await store.GetSubscriptionAsync("01old", default);
        var recorded = await store.RecordDeliveryErrorAsync("01old", error, default);
        await store.SetSmsOptOutAsync("+15551230001", optedOut: true, DateTimeOffset.UnixEpoch, default);

        Assert.NotNull(old);
        Assert.Null(old.LastDeliveryError);
        Assert.Equal(old with { LastDeliveryError = error }, recorded);

        // Opening the migrated file again finds nothing left to add.
        var reopened = new SqliteMetadataStore(path);
        Assert.Equal(recorded, await reopened.GetSubscriptionAsync("01old", default));
        Assert.Equal(["+15551230001"], await reopened.GetSmsOptedOutAsync(["+15551230001"], default));
    }

    /// <summary>A Sender and a Frontend process may open the same old file at once: one migrates, neither fails.</summary>
    [Fact]
    public async Task FileOfThePreviousSchema_OpenedByManyStoresAtOnce_IsMigratedOnce()
    {
        var path = _directory.File("previous.db");
        await new SqliteDatabase(path, SqliteDatabase.Durability.Full).ExecuteAsync(PreviousSchema);

        var stores = Enumerable.Range(0, 8).Select(_ => new SqliteMetadataStore(path)).ToArray();
        await Task.WhenAll(stores.Select(store => store.GetSubscriptionAsync("none", default)));

        Assert.Null(await stores[0].RecordDeliveryErrorAsync("none", new DeliveryError("500", "Refused", DateTimeOffset.UnixEpoch), default));
        Assert.Empty(await stores[0].GetSmsOptedOutAsync(["+15551230001"], default));
    }

    public void Dispose() => _directory.Dispose();
}
