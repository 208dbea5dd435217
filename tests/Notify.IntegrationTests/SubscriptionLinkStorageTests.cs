using System.Text;
using Microsoft.Data.Sqlite;
using Notify.IntegrationTests.Support;
using Notify.Shared.Links;

namespace Notify.IntegrationTests;

/// <summary>
/// What the embedded store keeps of the links' tokens: nothing usable. The tokens are derived from the key in
/// the data directory, and the plain tokens of subscriptions made before that are replaced by their hashes,
/// while the links already sent with them keep working.
/// </summary>
public sealed class SubscriptionLinkStorageTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
    private WebhookReceiver _receiver = null!;
    private NotifyService? _notify;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_notify is not null)
        {
            await _notify.DisposeAsync();
        }

        await _receiver.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task TheDataDirectory_HoldsNoTokenOfTheLinksSent()
    {
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:DataDirectory"] = _dataDirectory });
        await _notify.Client.CreateTopicAsync("kept");
        var id = (await _notify.Client.SubscribeAsync("kept", "webhook", _receiver.Url("hook").AbsoluteUri)).GetProperty("id").GetString()!;
        var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(n => n.Type == "SubscriptionConfirmation"), Patience, "the confirmation"))
            .Single(n => n.Type == "SubscriptionConfirmation").Json;
        await NotifyClient.FollowLinkAsync(confirmation.GetProperty("confirmUrl").GetString()!);
        await _notify.Client.PublishAsync("kept", new { message = "hello" });
        var notification = (await _receiver.WaitUntilAsync(r => r.Any(n => n.Type == "Notification"), Patience, "the notification"))
            .Single(n => n.Type == "Notification").Json;
        var unsubscribeUrl = notification.GetProperty("unsubscribeUrl").GetString()!;
        var tokens = new[] { confirmation.GetProperty("token").GetString()!, unsubscribeUrl[(unsubscribeUrl.IndexOf("token=", StringComparison.Ordinal) + 6)..] };

        using (var store = ServiceMetadataStore.Open(_notify))
        {
            var subscription = await store.Store.GetSubscriptionAsync(id, default);
            Assert.Equal(Notify.Metadata.Model.SubscriptionStatus.Confirmed, subscription!.Status);
            Assert.Null(subscription.ConfirmTokenHash);
            Assert.Null(subscription.UnsubscribeTokenHash);
        }

        // Every file of the store, logs included, read as they are while the service runs.
        AssertNoFileHolds(tokens);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "link-token.key")));
    }

    [Fact]
    public async Task ASubscriptionWithPlainTokens_FromBeforeTokensWereDerived_KeepsItsLinksWorking()
    {
        CreatePreviousVersionStore(_receiver.Url("old").AbsoluteUri);
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:DataDirectory"] = _dataDirectory });
        using var http = OpenApiContract.CreateClient(_notify.Process.BaseAddress);

        var confirmed = await NotifyClient.ExpectJsonAsync(await http.GetAsync("v1/subscriptions/01JOLDSUBSCRIPTION0000000/confirm?token=plain-confirm-token-of-01JOLD"), 200);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        AssertNoFileHolds(["plain-confirm-token-of-01JOLD", "plain-unsubscribe-token-of-01JOLD"]);

        // Its deliveries now carry the derived token; the link sent before still unsubscribes.
        await _notify.Client.PublishAsync("legacy", new { message = "hello" });
        var notification = (await _receiver.WaitUntilAsync(r => r.Any(n => n.Type == "Notification"), Patience, "the notification"))
            .Single(n => n.Type == "Notification").Json;
        Assert.DoesNotContain("plain-", notification.GetProperty("unsubscribeUrl").GetString()!, StringComparison.Ordinal);
        var unsubscribed = await NotifyClient.ExpectJsonAsync(await http.GetAsync("v1/subscriptions/01JOLDSUBSCRIPTION0000000/unsubscribe?token=plain-unsubscribe-token-of-01JOLD"), 200);
        Assert.False(unsubscribed.GetProperty("alreadyUnsubscribed").GetBoolean());
        var again = await NotifyClient.FollowLinkAsync(notification.GetProperty("unsubscribeUrl").GetString()!);
        Assert.True(again.GetProperty("alreadyUnsubscribed").GetBoolean());
    }

    /// <summary>A metadata file as versions before derived tokens wrote it: one pending webhook subscription with its random tokens.</summary>
    private void CreatePreviousVersionStore(string endpoint)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_dataDirectory, "metadata.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE topics (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL, display_name TEXT, retention_seconds INTEGER) WITHOUT ROWID;
            CREATE TABLE subscriptions (
                id TEXT PRIMARY KEY,
                topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
                protocol TEXT NOT NULL, endpoint TEXT NOT NULL, status TEXT NOT NULL,
                confirm_token TEXT NOT NULL, unsubscribe_token TEXT NOT NULL,
                created_at INTEGER NOT NULL, confirmed_at INTEGER,
                delivery_error_code TEXT, delivery_error_detail TEXT, delivery_error_at INTEGER,
                filter_policy TEXT, expires_at INTEGER,
                retry_seconds TEXT, max_per_second REAL, disabled_code TEXT, disabled_detail TEXT, disabled_at INTEGER,
                UNIQUE (topic, protocol, endpoint)
            ) WITHOUT ROWID;
            CREATE INDEX subscriptions_by_topic ON subscriptions (topic, id);
            INSERT INTO topics VALUES ('legacy', 0, NULL, NULL);
            INSERT INTO subscriptions (id, topic, protocol, endpoint, status, confirm_token, unsubscribe_token, created_at)
                VALUES ('01JOLDSUBSCRIPTION0000000', 'legacy', 'webhook', $endpoint, 'pending', 'plain-confirm-token-of-01JOLD', 'plain-unsubscribe-token-of-01JOLD', 0);
            """;
        command.Parameters.AddWithValue("$endpoint", endpoint);
        command.ExecuteNonQuery();
    }

    private void AssertNoFileHolds(IEnumerable<string> tokens)
    {
        foreach (var file in Directory.GetFiles(_dataDirectory, "*.db*"))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var token in tokens)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) < 0, $"{Path.GetFileName(file)} holds a link token");
            }
        }
    }
}
