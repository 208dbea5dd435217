using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;
using Notify.IntegrationTests.Support;
using Notify.Shared.Encryption;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// Encryption at rest on real processes in Embedded mode: after traffic that leaves messages queued,
/// dead-lettered and retained, no byte of any file in the data directory holds their content; the files
/// are owner-only; what was written is delivered by a later process; a rotated key still reads the old
/// rows; a missing key is explained in the log while the process stays up.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptionAtRestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // In the body, subject and attributes of every message: must never be in a file.
    private const string ContentMarker = "Zq8ContentMarkerWx";

    // In a topic name, which is stored as it is: the scan must find it, or it proves nothing.
    private const string NameMarker = "namemarker7";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "notify-it", "rest-" + Guid.NewGuid().ToString("N"));
    private WebhookReceiver _receiver = null!;

    // Notify creates the store folder itself, so its mode is Notify's doing.
    private string Store => Path.Combine(_root, "store");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.Respond = request => request.Path == "/dead" && request.Type == "Notification" ? 500 : 200;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task DataFiles_HoldNoMessageContent_AreOwnerOnly_AndALaterProcessDeliversWhatWasStored()
    {
        await using var notify = await NotifyService.StartAsync(Settings());
        await notify.ExplainFailureAsync(output, async () =>
        {
            var kept = "kept-" + NameMarker;
            await NotifyClient.ExpectJsonAsync(await notify.Client.Http.PostAsJsonAsync("v1/topics", new { name = kept, retention = "P1D" }), 201);
            var dead = await SubscribeConfirmedAsync(notify, kept, "dead");
            var replayTo = await SubscribeConfirmedAsync(notify, kept, "replayed");
            await SubscribeConfirmedAsync(notify, "queued", "queued");
            var from = DateTimeOffset.UtcNow;
            var deadIds = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                deadIds.Add(await PublishAsync(notify, kept, i));
            }

            // Dead letters (and their retained copies) once the 500s have used up the schedule.
            await notify.PollAsync($"v1/subscriptions/{dead}/dead-letters", j => j.GetProperty("items").GetArrayLength() == 3, "three dead letters", Patience);
            var letter = await NotifyClient.ExpectJsonAsync(await notify.Client.Http.GetAsync($"v1/subscriptions/{dead}/dead-letters/{deadIds[0]}"), 200);
            Assert.Contains(ContentMarker, letter.GetProperty("message").GetProperty("message").GetString(), StringComparison.Ordinal);

            // Accepted with no Sender running: the messages can only be waiting in the queue.
            await notify.Process.StopAsync(TimeSpan.FromSeconds(15));
            await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
            var queuedIds = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                queuedIds.Add(await PublishAsync(notify, "queued", i));
            }

            // Read while the process runs, so the write-ahead logs are there to be read too.
            var files = Directory.GetFiles(Store, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => f.EndsWith("queue.db-wal", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("deliveries.db", StringComparison.Ordinal));
            Assert.True(AnyFileHolds(files, NameMarker), "the scan does not see what is stored: the topic name is in no file");
            foreach (var file in files)
            {
                var bytes = ReadShared(file);
                Assert.False(Holds(bytes, Encoding.UTF8.GetBytes(ContentMarker)), $"{file} holds message content as UTF-8");
                Assert.False(Holds(bytes, Encoding.Unicode.GetBytes(ContentMarker)), $"{file} holds message content as UTF-16");

                // The queue envelope carries a message's texts in base64.
                Assert.All(Base64Forms(ContentMarker), form => Assert.False(Holds(bytes, form), $"{file} holds message content in base64"));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Store));
            Assert.All(files, f => Assert.True(
                File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite),
                $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
            Assert.Contains(files, f => Path.GetFileName(f) == EncryptionKeyFile.FileName);

            // A new process opens what the last one sealed: the queued messages and the retained ones.
            await notify.Process.StopAsync(TimeSpan.FromSeconds(15));
            await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "true" });
            var delivered = await _receiver.WaitUntilAsync(r => At(r, "queued").Count >= 3, Patience, "the queued messages after the restart");
            Assert.Equal(queuedIds.Order(), At(delivered, "queued").Select(MessageId).Order());
            Assert.All(At(delivered, "queued"), n => Assert.Contains(ContentMarker, n.Body, StringComparison.Ordinal));

            var replay = await NotifyClient.ExpectJsonAsync(
                await notify.Client.Http.PostAsJsonAsync($"v1/subscriptions/{replayTo}/replay", new { from, to = DateTimeOffset.UtcNow }), 200);
            Assert.Equal(3, replay.GetProperty("queued").GetInt32());
            var replayed = await _receiver.WaitUntilAsync(
                r => At(r, "replayed").Count(n => n.Headers.ContainsKey("X-Notify-Replay")) >= 3, Patience, "the replay of the retained messages");
            Assert.All(
                At(replayed, "replayed").Where(n => n.Headers.ContainsKey("X-Notify-Replay")),
                n => Assert.Equal(ContentMarker + " subject", n.Json.GetProperty("subject").GetString()));
        });
    }

    [Fact]
    public async Task RotatedKey_ReadsWhatTheOldKeyWrote_WritesUnderTheNewOne_AndAMissingKeyIsExplainedWhileTheProcessStaysUp()
    {
        var keyA = EncryptionKey.Generate();
        var keyB = EncryptionKey.Generate();
        await using var notify = await NotifyService.StartAsync(Settings(new() { ["Notify:Encryption:Key"] = keyA.ToBase64() }));
        await notify.ExplainFailureAsync(output, async () =>
        {
            await SubscribeConfirmedAsync(notify, "rotate", "rotate");
            await notify.Process.StopAsync(TimeSpan.FromSeconds(15));
            await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" });
            var underA = await PublishAsync(notify, "rotate", 1);
            await notify.Process.StopAsync(TimeSpan.FromSeconds(15));

            // Key B alone cannot read the message A sealed: the Sender says which key is missing and stays up.
            await notify.RestartAsync(new Dictionary<string, string?>
            {
                ["Notify:Encryption:Key"] = keyB.ToBase64(),
                ["Notify:Sender:InProcess"] = "true",
            });
            var line = await notify.Process.WaitForOutputAsync($"was encrypted under key {keyA.Name}", Patience);
            Assert.Contains($"Notify:Encryption:Key (key {keyB.Name})", line, StringComparison.Ordinal);
            Assert.Contains("Notify:Encryption:PreviousKeys", line, StringComparison.Ordinal);
            var underB = await PublishAsync(notify, "rotate", 2);
            Assert.False(notify.Process.HasExited);
            await notify.Process.StopAsync(TimeSpan.FromSeconds(15));
            Assert.DoesNotContain(keyA.ToBase64(), notify.Logs, StringComparison.Ordinal);
            Assert.DoesNotContain(keyB.ToBase64(), notify.Logs, StringComparison.Ordinal);
            Assert.Equal(
                new Dictionary<string, string> { [underA] = keyA.Name, [underB] = keyB.Name },
                await QueuedKeyIdsAsync());

            // B with A kept for reading: both are delivered.
            await notify.RestartAsync(new Dictionary<string, string?> { ["Notify:Encryption:PreviousKeys:0"] = keyA.ToBase64() });
            var delivered = await _receiver.WaitUntilAsync(r => At(r, "rotate").Count >= 2, Patience, "both messages after the rotation");
            Assert.Equal(new[] { underA, underB }.Order(), At(delivered, "rotate").Select(MessageId).Order());
        });
    }

    [Fact]
    public async Task AKeyThatIsNotThirtyTwoBytes_StopsTheStart_NamingTheSetting()
    {
        var settings = Settings(new() { ["Notify:Encryption:Key"] = Convert.ToBase64String(new byte[16]) });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => NotifyService.StartAsync(settings));

        Assert.Contains("Notify:Encryption:Key decodes to 16 bytes", failure.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = Store,
            ["Notify:Email:PickupDirectory"] = Path.Combine(_root, "mail"),
            ["Notify:Delivery:InProcessRetryLimit"] = "00:00:00",
            ["Notify:Delivery:Webhook:RetrySeconds"] = "1,1",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<string> SubscribeConfirmedAsync(NotifyService notify, string topic, string path)
    {
        await notify.Client.CreateTopicAsync(topic);
        var id = (await notify.Client.SubscribeAsync(topic, "webhook", _receiver.Url(path).AbsoluteUri)).GetProperty("id").GetString()!;
        bool IsMine(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
        var received = await _receiver.WaitUntilAsync(r => r.Any(IsMine), Patience, $"the confirmation of {id}");
        await NotifyClient.FollowLinkAsync(received.First(IsMine).Json.GetProperty("confirmUrl").GetString()!);
        return id;
    }

    private static async Task<string> PublishAsync(NotifyService notify, string topic, int number)
    {
        var accepted = await notify.Client.PublishAsync(topic, new
        {
            message = $"{ContentMarker} body {number}",
            subject = ContentMarker + " subject",
            attributes = new Dictionary<string, string> { ["note"] = ContentMarker + " attribute" },
        });
        return accepted.GetProperty("messageId").GetString()!;
    }

    /// <summary>The key id in front of each queued body, by message id.</summary>
    private async Task<Dictionary<string, string>> QueuedKeyIdsAsync()
    {
        var ids = new Dictionary<string, string>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(Store, "queue.db")};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, hex(substr(body, 2, 4)) FROM messages WHERE typeof(body) = 'blob'";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids[reader.GetString(0)] = reader.GetString(1).ToLowerInvariant();
        }

        return ids;
    }

    private static List<ReceivedWebhook> At(IEnumerable<ReceivedWebhook> received, string path) =>
        [.. received.Where(r => r.Path == "/" + path && r.Type == "Notification")];

    private static string MessageId(ReceivedWebhook notification) => notification.Json.GetProperty("messageId").GetString()!;

    private static bool AnyFileHolds(IEnumerable<string> files, string text) =>
        files.Any(f => Holds(ReadShared(f), Encoding.UTF8.GetBytes(text)));

    /// <summary>What <paramref name="text"/> looks like inside base64 at each of the three alignments it can start at.</summary>
    private static IEnumerable<byte[]> Base64Forms(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var shift = 0; shift < 3; shift++)
        {
            var shifted = new byte[shift + bytes.Length];
            bytes.CopyTo(shifted, shift);
            var encoded = Convert.ToBase64String(shifted);

            // Only the characters that the text's own bytes decide: not the first group when shifted, nor a partial last one.
            yield return Encoding.ASCII.GetBytes(encoded[(shift == 0 ? 0 : 4)..(shifted.Length / 3 * 4)]);
        }
    }

    private static bool Holds(byte[] bytes, byte[] pattern) => bytes.AsSpan().IndexOf(pattern) >= 0;

    // The files are open in the running process: read them without asking for exclusive access.
    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
