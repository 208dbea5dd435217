using Notify.Metadata.Model;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Links;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>Metadata files written by earlier versions, their schemas frozen here as those versions made them.</summary>
public sealed class SqliteMetadataMigrationTests : IDisposable
{
    /// <summary>The metadata tables as the version before delivery errors and opt-outs created them.</summary>
    private const string SchemaBeforeDeliveryErrors = """
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

    /// <summary>The metadata tables as the version before display names, filter policies, expiry and tombstones created them.</summary>
    private const string SchemaBeforeSettingsAndExpiry = """
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
            delivery_error_code TEXT,
            delivery_error_detail TEXT,
            delivery_error_at INTEGER,
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX subscriptions_by_topic ON subscriptions (topic, id);
        CREATE TABLE sms_opt_outs (
            phone_number TEXT PRIMARY KEY,
            opted_out_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    /// <summary>The metadata tables as the version before delivery policies and disabled subscriptions created them.</summary>
    private const string SchemaBeforeDeliveryState = """
        CREATE TABLE topics (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            display_name TEXT
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
            delivery_error_code TEXT,
            delivery_error_detail TEXT,
            delivery_error_at INTEGER,
            filter_policy TEXT,
            expires_at INTEGER,
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX subscriptions_by_topic ON subscriptions (topic, id);
        CREATE TABLE sms_opt_outs (
            phone_number TEXT PRIMARY KEY,
            opted_out_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE deleted_subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            protocol TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            status TEXT NOT NULL,
            confirm_token TEXT NOT NULL,
            unsubscribe_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            confirmed_at INTEGER,
            delivery_error_code TEXT,
            delivery_error_detail TEXT,
            delivery_error_at INTEGER,
            filter_policy TEXT,
            expires_at INTEGER,
            deleted_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX deleted_subscriptions_by_time ON deleted_subscriptions (deleted_at);
        CREATE INDEX subscriptions_by_expiry ON subscriptions (expires_at) WHERE expires_at IS NOT NULL;
        """;

    /// <summary>The metadata tables as the version before signing secrets created them.</summary>
    private const string SchemaBeforeSigningSecrets = """
        CREATE TABLE topics (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            display_name TEXT,
            retention_seconds INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
            protocol TEXT NOT NULL, endpoint TEXT NOT NULL, status TEXT NOT NULL, confirm_token TEXT NOT NULL, unsubscribe_token TEXT NOT NULL,
            created_at INTEGER NOT NULL, confirmed_at INTEGER, delivery_error_code TEXT, delivery_error_detail TEXT, delivery_error_at INTEGER,
            filter_policy TEXT, expires_at INTEGER, retry_seconds TEXT, max_per_second REAL, disabled_code TEXT, disabled_detail TEXT, disabled_at INTEGER,
            UNIQUE (topic, protocol, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX subscriptions_by_topic ON subscriptions (topic, id);
        CREATE TABLE sms_opt_outs (phone_number TEXT PRIMARY KEY, opted_out_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE deleted_subscriptions (
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            protocol TEXT NOT NULL, endpoint TEXT NOT NULL, status TEXT NOT NULL, confirm_token TEXT NOT NULL, unsubscribe_token TEXT NOT NULL,
            created_at INTEGER NOT NULL, confirmed_at INTEGER, delivery_error_code TEXT, delivery_error_detail TEXT, delivery_error_at INTEGER,
            filter_policy TEXT, expires_at INTEGER, retry_seconds TEXT, max_per_second REAL, disabled_code TEXT, disabled_detail TEXT, disabled_at INTEGER,
            deleted_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX deleted_subscriptions_by_time ON deleted_subscriptions (deleted_at);
        CREATE INDEX subscriptions_by_expiry ON subscriptions (expires_at) WHERE expires_at IS NOT NULL;
        """;

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    /// <summary>
    /// A file made by the version before delivery errors and opt-outs gains every column and table added
    /// since at open, and keeps its rows.
    /// </summary>
    [Fact]
    public async Task FileWithoutDeliveryErrors_IsMigratedAtOpen()
    {
        var path = await OldFileAsync(SchemaBeforeDeliveryErrors, """
            INSERT INTO topics VALUES ('alerts', 0);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'sms', '+15551230001', 'confirmed', 'c', 'u', 0, 1000);
            """);
        var error = new DeliveryError("21610", "Unsubscribed recipient", DateTimeOffset.FromUnixTimeMilliseconds(2000));

        var store = new SqliteMetadataStore(path, _clock);
        var old = await store.GetSubscriptionAsync("01old", default);
        var recorded = await store.SetDeliveryErrorAsync("01old", error, default);
        await store.SetSmsOptOutAsync("+15551230001", optedOut: true, DateTimeOffset.UnixEpoch, default);

        Assert.NotNull(old);
        Assert.Null(old.LastDeliveryError);
        Assert.Equal(old with { LastDeliveryError = error }, recorded);

        // Opening the migrated file again finds nothing left to add.
        var reopened = new SqliteMetadataStore(path, _clock);
        Assert.Equal(recorded, await reopened.GetSubscriptionAsync("01old", default));
        Assert.Equal(["+15551230001"], await reopened.GetSmsOptedOutAsync(["+15551230001"], default));
    }

    /// <summary>
    /// A file made by the version before settings and expiry gains display names, filter policies, expiry
    /// and the tombstone table at open; its rows read as having none of them, and take them from then on.
    /// </summary>
    [Fact]
    public async Task FileWithoutSettingsAndExpiry_IsMigratedAtOpen()
    {
        var path = await OldFileAsync(SchemaBeforeSettingsAndExpiry, """
            INSERT INTO topics VALUES ('alerts', 0);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'webhook', 'https://hooks.example/a', 'pending', 'c', 'u', 0, NULL, '500', 'Refused', 500);
            INSERT INTO subscriptions VALUES ('02old', 'alerts', 'webhook', 'https://hooks.example/b', 'confirmed', 'c', 'u', 0, 1000, NULL, NULL, NULL);
            """);

        var store = new SqliteMetadataStore(path, _clock);
        var pending = await store.GetSubscriptionAsync("01old", default);
        var topic = await store.UpdateTopicAsync("alerts", new TopicSettings("Alerts"), default);
        var filtered = await store.UpdateSubscriptionAsync("02old", new SubscriptionSettings("""{"a":["b"]}"""), default);
        var deleted = await store.DeleteSubscriptionAsync("01old", DateTimeOffset.FromUnixTimeMilliseconds(3000), default);

        Assert.NotNull(pending);
        Assert.Null(pending.ExpiresAt);
        Assert.Null(pending.FilterPolicy);
        Assert.Equal(new DeliveryError("500", "Refused", DateTimeOffset.FromUnixTimeMilliseconds(500)), pending.LastDeliveryError);
        Assert.Equal(new Topic("alerts", DateTimeOffset.UnixEpoch) { DisplayName = "Alerts" }, topic);
        Assert.Equal("""{"a":["b"]}""", filtered!.FilterPolicy);
        Assert.Equal(pending, deleted);

        // Opening the migrated file again finds nothing left to add, and everything written since.
        var reopened = new SqliteMetadataStore(path, _clock);
        Assert.Equal(topic, await reopened.GetTopicAsync("alerts", default));
        Assert.Equal(filtered, await reopened.GetSubscriptionAsync("02old", default));
        Assert.Equal(new DeletedSubscription(pending, DateTimeOffset.FromUnixTimeMilliseconds(3000)), await reopened.GetDeletedSubscriptionAsync("01old", default));
        Assert.Equal([filtered], (await reopened.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, null, default)).Items);
    }

    /// <summary>
    /// A file made by the version before delivery state gains the delivery policy and disabled reason columns
    /// in both subscription tables at open: old rows and tombstones read as having neither, rows take them.
    /// </summary>
    [Fact]
    public async Task FileWithoutDeliveryState_IsMigratedAtOpen()
    {
        var path = await OldFileAsync(SchemaBeforeDeliveryState, """
            INSERT INTO topics VALUES ('alerts', 0, NULL);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'webhook', 'https://hooks.example/a', 'confirmed', 'c', 'u', 0, 1000, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO deleted_subscriptions VALUES ('00gone', 'alerts', 'webhook', 'https://hooks.example/z', 'confirmed', 'c', 'u', 0, 1000, NULL, NULL, NULL, NULL, NULL, 0);
            """);
        var policy = new DeliveryPolicy([1, 2], 3.5);
        var gone = new DeliveryError("410", "Gone", DateTimeOffset.FromUnixTimeMilliseconds(2000));

        var store = new SqliteMetadataStore(path, _clock);
        var old = await store.GetSubscriptionAsync("01old", default);
        var tombstone = await store.GetDeletedSubscriptionAsync("00gone", default);
        await store.UpdateSubscriptionAsync("01old", new SubscriptionSettings(null, policy), default);
        var disabled = await store.SetDisabledAsync("01old", gone, default);
        var deleted = await store.DeleteSubscriptionAsync("01old", DateTimeOffset.FromUnixTimeMilliseconds(3000), default);

        Assert.NotNull(old);
        Assert.Null(old.DeliveryPolicy);
        Assert.Null(old.DisabledReason);
        Assert.Null(tombstone!.Subscription.DeliveryPolicy);
        Assert.Equal(old with { DeliveryPolicy = policy, Status = SubscriptionStatus.Disabled, DisabledReason = gone }, disabled);
        Assert.Equal(disabled, deleted);

        var reopened = new SqliteMetadataStore(path, _clock);
        Assert.Equal(new DeletedSubscription(disabled!, DateTimeOffset.FromUnixTimeMilliseconds(3000)), await reopened.GetDeletedSubscriptionAsync("01old", default));
    }

    /// <summary>
    /// A file whose topics table predates retention (as every version before it made it) gains the column at
    /// open: its topics read as keeping no messages, and take a retention that a reopened store reads back.
    /// </summary>
    [Fact]
    public async Task FileWithoutRetention_IsMigratedAtOpen()
    {
        var path = await OldFileAsync(SchemaBeforeDeliveryState, "INSERT INTO topics VALUES ('alerts', 0, 'Alerts');");

        var store = new SqliteMetadataStore(path, _clock);
        var old = await store.GetTopicAsync("alerts", default);
        var updated = await store.UpdateTopicAsync("alerts", new TopicSettings("Alerts", TimeSpan.FromDays(7)), default);

        Assert.Equal(new Topic("alerts", DateTimeOffset.UnixEpoch) { DisplayName = "Alerts" }, old);
        Assert.Equal(old! with { Retention = TimeSpan.FromDays(7) }, updated);
        Assert.Equal(updated, await new SqliteMetadataStore(path, _clock).GetTopicAsync("alerts", default));
    }

    /// <summary>
    /// A file whose subscriptions and tombstones hold plain random tokens (every version before tokens were
    /// derived) keeps only their SHA-256 after open: the rows read those hashes, and no byte of the file or
    /// its log holds a token any more.
    /// </summary>
    [Fact]
    public async Task FileWithPlainTokens_KeepsOnlyTheirHashes()
    {
        var path = await OldFileAsync(SchemaBeforeDeliveryState, """
            INSERT INTO topics VALUES ('alerts', 0, NULL);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'webhook', 'https://hooks.example/a', 'confirmed', 'plain-confirm-token-01old', 'plain-unsubscribe-token-01old', 0, 1000, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO deleted_subscriptions VALUES ('00gone', 'alerts', 'webhook', 'https://hooks.example/z', 'confirmed', 'plain-confirm-token-00gone', 'plain-unsubscribe-token-00gone', 0, 1000, NULL, NULL, NULL, NULL, NULL, 0);
            """);

        var store = new SqliteMetadataStore(path, _clock);
        var old = await store.GetSubscriptionAsync("01old", default);
        var tombstone = await store.GetDeletedSubscriptionAsync("00gone", default);

        Assert.Equal(LinkTokens.Hash("plain-confirm-token-01old"), old!.ConfirmTokenHash);
        Assert.Equal(LinkTokens.Hash("plain-unsubscribe-token-01old"), old.UnsubscribeTokenHash);
        Assert.Equal(LinkTokens.Hash("plain-unsubscribe-token-00gone"), tombstone!.Subscription.UnsubscribeTokenHash);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf("plain-"u8) < 0, $"{Path.GetFileName(file)} still holds a plain token");
        }

        // Deleting the migrated row moves its hashes into its tombstone; a reopened file has nothing left to migrate.
        var deleted = await store.DeleteSubscriptionAsync("01old", DateTimeOffset.FromUnixTimeMilliseconds(3000), default);
        Assert.Equal(old, deleted);
        Assert.Equal(old, (await new SqliteMetadataStore(path, _clock).GetDeletedSubscriptionAsync("01old", default))!.Subscription);
    }

    /// <summary>
    /// A file made by the version before signing secrets gains their column in both subscription tables at
    /// open: its webhook subscriptions read as unsigned (no secrets) and take secrets that a reopened store reads back.
    /// </summary>
    [Fact]
    public async Task FileWithoutSigningSecrets_IsMigratedAtOpen()
    {
        var path = await OldFileAsync(SchemaBeforeSigningSecrets, """
            INSERT INTO topics VALUES ('alerts', 0, NULL, NULL);
            INSERT INTO subscriptions VALUES ('01old', 'alerts', 'webhook', 'https://hooks.example/a', 'confirmed', 'c', 'u', 0, 1000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
            INSERT INTO deleted_subscriptions VALUES ('00gone', 'alerts', 'webhook', 'https://hooks.example/z', 'confirmed', 'c', 'u', 0, 1000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0);
            """);
        var secrets = new SigningSecrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        var store = new SqliteMetadataStore(path, _clock);
        var old = await store.GetSubscriptionAsync("01old", default);
        var tombstone = await store.GetDeletedSubscriptionAsync("00gone", default);
        var rotated = await store.SetSigningSecretsAsync("01old", secrets, default);

        Assert.NotNull(old);
        Assert.Null(old.SigningSecrets);
        Assert.Null(tombstone!.Subscription.SigningSecrets);
        Assert.Equal(old with { SigningSecrets = secrets }, rotated);
        Assert.Equal(rotated, await new SqliteMetadataStore(path, _clock).GetSubscriptionAsync("01old", default));
    }

    /// <summary>A Sender and a Frontend process may open the same old file at once: one migrates, neither fails.</summary>
    [Theory]
    [InlineData(SchemaBeforeDeliveryErrors)]
    [InlineData(SchemaBeforeSettingsAndExpiry)]
    [InlineData(SchemaBeforeDeliveryState)]
    [InlineData(SchemaBeforeSigningSecrets)]
    public async Task OldFile_OpenedByManyStoresAtOnce_IsMigratedOnce(string schema)
    {
        var path = await OldFileAsync(schema, "INSERT INTO topics (name, created_at) VALUES ('alerts', 0);");

        var stores = Enumerable.Range(0, 8).Select(_ => new SqliteMetadataStore(path, _clock)).ToArray();
        await Task.WhenAll(stores.Select(store => store.GetSubscriptionAsync("none", default)));

        Assert.Null(await stores[0].SetDeliveryErrorAsync("none", new DeliveryError("500", "Refused", DateTimeOffset.UnixEpoch), default));
        Assert.Empty(await stores[0].GetSmsOptedOutAsync(["+15551230001"], default));
        Assert.Equal("Alerts", (await stores[1].UpdateTopicAsync("alerts", new TopicSettings("Alerts"), default))!.DisplayName);
        Assert.Null(await stores[2].GetDeletedSubscriptionAsync("none", default));
        Assert.Equal(0, await stores[3].DeleteExpiredAsync(DateTimeOffset.UnixEpoch, default));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<string> OldFileAsync(string schema, string rows)
    {
        var path = _directory.File("previous.db");
        var previous = new SqliteDatabase(path, SqliteDatabase.Durability.Full);
        await previous.ExecuteAsync(schema);
        await previous.ExecuteAsync(rows);
        return path;
    }
}
