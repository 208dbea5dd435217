using Notify.Shared.Encryption;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notify.IntegrationTests.Support;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Shared.Configuration;
using Notify.Shared.Messages;

namespace Notify.IntegrationTests;

/// <summary>
/// The API of delivery state: dead letters (list, read, redrive, delete), topic and subscription stats, and
/// a message's status, on real processes in both modes. The Sender does not write that state yet, so each
/// test arranges it through a delivery store it opens itself on the service's own data (Embedded:
/// <c>deliveries.db</c> in the data directory; Aws: the service's DynamoDB table on dynalite).
/// </summary>
public abstract class DeliveryStateApiTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly DateTimeOffset Published = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private NotifyService _notify = null!;
    private IDeliveryStore _store = null!;
    private IDisposable? _storeClient;

    protected HttpClient Http => _notify.Client.Http;

    protected IDeliveryStore Store => _store;

    public async Task InitializeAsync()
    {
        // Embedded: no in-process Sender, so the redriven work stays in queue.db for the test to read.
        _notify = await NotifyService.StartAsync(
            deployment == Deployment.Embedded ? new Dictionary<string, string?> { ["Notify:Sender:InProcess"] = "false" } : null,
            deployment);
        if (deployment == Deployment.Embedded)
        {
            _store = new SqliteDeliveryStore(Path.Combine(_notify.DataDirectory, "deliveries.db"), new PayloadCipher(EncryptionKeyFile.Read(_notify.DataDirectory)!, []), TimeProvider.System);
        }
        else
        {
            var client = new AmazonDynamoDBClient(
                new BasicAWSCredentials("local", "local"),
                new AmazonDynamoDBConfig { ServiceURL = _notify.Setting("Notify:Aws:DynamoDbServiceUrl"), AuthenticationRegion = "us-east-1" });
            _storeClient = client;
            _store = new DynamoDbDeliveryStore(
                client, Options.Create(new AwsOptions { ResourcePrefix = _notify.Setting("Notify:Aws:ResourcePrefix")! }), TimeProvider.System);
        }
    }

    public async Task DisposeAsync()
    {
        _storeClient?.Dispose();
        await _notify.DisposeAsync();
    }

    [Fact]
    public async Task DeadLetters_AreListedInPublishOrder_APageAtATime_AndFilteredByPublishTime()
    {
        var id = await SubscribeSmsAsync("dl-list", "+15550100001");
        for (var i = 0; i < 5; i++)
        {
            await _store.PutDeadLetterAsync(Letter(id, "dl-list", i, attempts: i + 1, permanent: i == 4), CancellationToken.None);
        }

        var first = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters?limit=2");
        Assert.Equal(["m0", "m1"], MessageIds(first));
        var item = first.GetProperty("items")[1];
        Assert.Equal("dl-list", item.GetProperty("topic").GetString());
        Assert.Equal(Published.AddMinutes(1), item.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(2, item.GetProperty("attempts").GetInt32());
        Assert.Equal("HTTP 500", item.GetProperty("lastError").GetString());
        Assert.False(item.GetProperty("permanent").GetBoolean());
        Assert.Equal(Published.AddMinutes(1).AddHours(1), item.GetProperty("deadLetteredAt").GetDateTimeOffset());
        Assert.True(item.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        var all = MessageIds(first).ToList();
        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters?limit=2&cursor={Uri.EscapeDataString(cursor)}");
            all.AddRange(MessageIds(page));
            cursor = page.GetProperty("nextCursor").GetString();
        }

        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], all);

        // [from, to) on the publish time; an offset other than Z is the same instant.
        var window = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters?from={Q(Published.AddMinutes(1))}&to={Uri.EscapeDataString("2026-11-30T10:03:00+02:00")}");
        Assert.Equal(["m1", "m2"], MessageIds(window));
        Assert.Equal(JsonValueKind.Null, window.GetProperty("nextCursor").ValueKind);
        var last = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters?from={Q(Published.AddMinutes(4))}");
        Assert.True(last.GetProperty("items")[0].GetProperty("permanent").GetBoolean());
    }

    [Fact]
    public async Task DeadLetters_RefuseBadQueries_NamingTheParameter_And404AnUnknownSubscription()
    {
        var id = await SubscribeSmsAsync("dl-bad", "+15550100002");

        await ProblemAssert.IsProblemAsync(await Http.GetAsync($"v1/subscriptions/{id}/dead-letters?from=yesterday"), 400, "from must be an RFC 3339");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync($"v1/subscriptions/{id}/dead-letters?to=2026-11-30"), 400, "to must be an RFC 3339");
        await ProblemAssert.IsProblemAsync(
            await Http.GetAsync($"v1/subscriptions/{id}/dead-letters?from={Q(Published)}&to={Q(Published)}"), 400, "to must be after from");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync($"v1/subscriptions/{id}/dead-letters?limit=0"), 400, "limit");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync($"v1/subscriptions/{id}/dead-letters?cursor=not-a-cursor"), 400, "cursor");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/subscriptions/nobody/dead-letters"), 404, "nobody");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/subscriptions/nobody/dead-letters/m0"), 404, "nobody");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync($"v1/subscriptions/{id}/dead-letters/m0"), 404, "no dead letter of message 'm0'");
    }

    [Fact]
    public async Task DeadLetter_ShowsItsAttempts_AndTheMessageAsItsSubscriberWouldHaveReceivedIt()
    {
        var id = await SubscribeSmsAsync("dl-one", "+15550100003");
        await _store.PutDeadLetterAsync(Letter(id, "dl-one", 0, attempts: 3, permanent: false), CancellationToken.None);

        var letter = await GetJsonAsync($"v1/subscriptions/{id}/dead-letters/m0");
        Assert.Equal("m0", letter.GetProperty("messageId").GetString());
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        var log = letter.GetProperty("attemptLog");
        Assert.Equal([1, 2, 3], log.EnumerateArray().Select(a => a.GetProperty("number").GetInt32()));
        Assert.Equal(Published.AddSeconds(2), log[2].GetProperty("at").GetDateTimeOffset());
        Assert.Equal("HTTP 500", log[2].GetProperty("outcome").GetString());

        // The SMS body of a publish with a body per protocol, not its default.
        var message = letter.GetProperty("message");
        Assert.Equal("order 0 (sms)", message.GetProperty("message").GetString());
        Assert.Equal("Order 0", message.GetProperty("subject").GetString());
        Assert.Equal("eu", message.GetProperty("attributes").GetProperty("region").GetString());
        Assert.Equal(Published, message.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Redrive_PutsTheSelectedDeadLettersOnTheQueue_AndKeepsThemUntilDelivered()
    {
        var id = await SubscribeSmsAsync("dl-redrive", "+15550100004");
        for (var i = 0; i < 4; i++)
        {
            await _store.PutDeadLetterAsync(Letter(id, "dl-redrive", i, attempts: 2, permanent: false), CancellationToken.None);
        }

        var byId = await RedriveAsync(id, """{"messageIds":["m1","m3","absent"]}""");
        Assert.Equal((2, false), (byId.GetProperty("redriven").GetInt32(), byId.GetProperty("more").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, byId.GetProperty("nextCursor").ValueKind);

        var byTime = await RedriveAsync(id, $$"""{"from":"{{Published:O}}","to":"{{Published.AddMinutes(2):O}}"}""");
        Assert.Equal(2, byTime.GetProperty("redriven").GetInt32());

        var all = await RedriveAsync(id, "{}");
        Assert.Equal((4, false), (all.GetProperty("redriven").GetInt32(), all.GetProperty("more").GetBoolean()));

        // Each stays a dead letter until the Sender delivers it.
        Assert.Equal(4, (await GetJsonAsync($"v1/subscriptions/{id}/dead-letters")).GetProperty("items").GetArrayLength());

        if (deployment == Deployment.Embedded)
        {
            // What went on the queue: delivery work of this subscription, attempt 1, marked as a redrive, with
            // the dead letter's notification. (Aws mode's Sender takes its queue's messages as they come: the
            // Sender does not handle delivery work yet, so they are only seen in Embedded mode without one.)
            var work = await QueuedDeliveriesAsync();
            Assert.Equal(["m0", "m0", "m1", "m1", "m1", "m2", "m3", "m3"], work.Select(w => w.Notification!.MessageId).Order(StringComparer.Ordinal));
            Assert.All(work, w =>
            {
                Assert.Equal(EnvelopeKind.Delivery, w.Kind);
                Assert.Equal(id, w.Delivery!.SubscriptionId);
                Assert.Equal(1, w.Delivery.Attempt);
                Assert.True(w.Delivery.Redrive);
                Assert.True(w.Delivery.DueAt > DateTimeOffset.UtcNow.AddMinutes(-5));
            });
            Assert.Equal("order 1 (sms)", work.First(w => w.Notification!.MessageId == "m1").Notification!.MessageFor("sms"));
        }
    }

    [Fact]
    public async Task Redrive_RefusesIdsWithATimeWindow_TooManyIds_AndAPendingOrUnknownSubscription()
    {
        var id = await SubscribeSmsAsync("dl-redrive-bad", "+15550100005");

        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, $$"""{"messageIds":["m1"],"from":"{{Published:O}}"}"""), 400, "messageIds");
        var tooMany = JsonSerializer.Serialize(new { messageIds = Enumerable.Range(0, 101).Select(i => $"m{i}") });
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, tooMany), 400, "messageIds");
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, """{"messageIds":[]}"""), 400, "messageIds");
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, """{"from":"yesterday"}"""), 400, "from");
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, $$"""{"from":"{{Published:O}}","to":"{{Published:O}}"}"""), 400, "to must be after from");
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(id, """{"messageId":["m1"]}"""), 400, "messageId");
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync("nobody", "{}"), 404, "nobody");

        // A webhook stays pending here: no Sender sends its confirmation request in Embedded mode, and nobody follows it in Aws mode.
        var pending = (await _notify.Client.SubscribeAsync("dl-redrive-bad", "webhook", "http://127.0.0.1:9/hook")).GetProperty("id").GetString()!;
        await ProblemAssert.IsProblemAsync(await PostRedriveAsync(pending, "{}"), 409, "confirm");
    }

    [Fact]
    public async Task Delete_ForgetsOneDeadLetterOrAll()
    {
        var id = await SubscribeSmsAsync("dl-delete", "+15550100006");
        for (var i = 0; i < 3; i++)
        {
            await _store.PutDeadLetterAsync(Letter(id, "dl-delete", i, attempts: 1, permanent: true), CancellationToken.None);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"v1/subscriptions/{id}/dead-letters/m1")).StatusCode);
        await ProblemAssert.IsProblemAsync(await Http.DeleteAsync($"v1/subscriptions/{id}/dead-letters/m1"), 404, "m1");
        Assert.Equal(["m0", "m2"], MessageIds(await GetJsonAsync($"v1/subscriptions/{id}/dead-letters")));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"v1/subscriptions/{id}/dead-letters")).StatusCode);
        Assert.Empty(MessageIds(await GetJsonAsync($"v1/subscriptions/{id}/dead-letters")));
        await ProblemAssert.IsProblemAsync(await Http.DeleteAsync("v1/subscriptions/nobody/dead-letters"), 404, "nobody");
        await ProblemAssert.IsProblemAsync(await Http.DeleteAsync("v1/subscriptions/nobody/dead-letters/m0"), 404, "nobody");
    }

    [Fact]
    public async Task Stats_OfATopicAndASubscription_AreTheirTotalsAndLastHour()
    {
        var id = await SubscribeSmsAsync("stats", "+15550100007");
        var now = DateTimeOffset.UtcNow;
        var recent = Minute(now.AddMinutes(-10));
        var old = Minute(now.AddHours(-3));
        var failure = new LastOutcome(recent.AddSeconds(5), "HTTP 503");
        var success = new LastOutcome(recent.AddSeconds(1), null);
        await _store.AddCountsAsync(
            [
                new CountsDelta(StatsScope.Topic("stats"), old, new DeliveryCounts(Published: 10, Delivered: 8, Retried: 3, Retrying: 1, DeadLettered: 1), null, null),
                new CountsDelta(StatsScope.Topic("stats"), recent, new DeliveryCounts(Published: 5, Delivered: 4, Retried: 2, Retrying: 1, DeadLettered: 0), null, null),
                new CountsDelta(StatsScope.Subscription(id), old, new DeliveryCounts(Published: 7, Delivered: 6, Retried: 1, Retrying: 0, DeadLettered: 1), null, null),
                new CountsDelta(StatsScope.Subscription(id), recent, new DeliveryCounts(Published: 2, Delivered: 1, Retried: 1, Retrying: 1, DeadLettered: 0), success, failure),
            ],
            CancellationToken.None);
        var nextAttempt = Minute(now.AddMinutes(30));
        await _store.PutRetryAsync(new ScheduledRetry(id, "m7", "stats", 2, nextAttempt, "HTTP 503", now.AddDays(1)), CancellationToken.None);
        await _store.PutRetryAsync(new ScheduledRetry(id, "m8", "stats", 3, nextAttempt.AddMinutes(5), "HTTP 503", now.AddDays(1)), CancellationToken.None);

        var topic = await GetJsonAsync("v1/topics/stats/stats");
        Assert.Equal((15, 12, 2, 1, 0), Counts(topic, withDisabled: true));
        Assert.Equal((5, 4, 2, 0), HourCounts(topic.GetProperty("lastHour")));

        var subscription = await GetJsonAsync($"v1/subscriptions/{id}/stats");
        Assert.Equal((9, 7, 1, 1, 0), Counts(subscription, withDisabled: false));
        Assert.Equal((2, 1, 1, 0), HourCounts(subscription.GetProperty("lastHour")));
        Assert.Equal(success.At, subscription.GetProperty("lastSuccessAt").GetDateTimeOffset());
        Assert.Equal(failure.At, subscription.GetProperty("lastFailureAt").GetDateTimeOffset());
        Assert.Equal("HTTP 503", subscription.GetProperty("lastError").GetString());
        Assert.Equal(nextAttempt, subscription.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.False(subscription.TryGetProperty("disabledSubscriptions", out _));

        // Never counted: zeros, and no last outcome or next attempt.
        var quiet = await SubscribeSmsAsync("stats", "+15550100008");
        var none = await GetJsonAsync($"v1/subscriptions/{quiet}/stats");
        Assert.Equal((0, 0, 0, 0, 0), Counts(none, withDisabled: false));
        Assert.False(none.TryGetProperty("lastSuccessAt", out _) || none.TryGetProperty("nextAttemptAt", out _) || none.TryGetProperty("lastError", out _));

        // A topic deleted and created again under its name starts from zero.
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("v1/topics/stats")).StatusCode);
        await _notify.Client.CreateTopicAsync("stats");
        Assert.Equal((0, 0, 0, 0, 0), Counts(await GetJsonAsync("v1/topics/stats/stats"), withDisabled: true));

        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/nothing/stats"), 404, "nothing");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/bad%20name/stats"), 400, "name");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/subscriptions/nobody/stats"), 404, "nobody");
    }

    [Fact]
    public async Task MessageStatus_CountsItsDeliveries_AndListsTheWaitingRetries()
    {
        var id = await SubscribeSmsAsync("status", "+15550100009");
        await _notify.Client.CreateTopicAsync("other");
        var now = DateTimeOffset.UtcNow;
        await _store.AddMessageOutcomeAsync(
            new MessageOutcome { MessageId = "s1", Topic = "status", PublishedAt = Published, ExpiresAt = now.AddDays(7), Subscribers = 4, Delivered = 2, Retrying = 1, DeadLettered = 1 },
            CancellationToken.None);
        var due = Minute(now.AddMinutes(20));
        await _store.PutRetryAsync(new ScheduledRetry(id, "s1", "status", 3, due, "timed out after 15s", now.AddDays(1)), CancellationToken.None);
        await _store.AddMessageOutcomeAsync(
            new MessageOutcome { MessageId = "gone", Topic = "status", PublishedAt = Published, ExpiresAt = now.AddSeconds(-1), Subscribers = 1 },
            CancellationToken.None);

        // Aws: a message's retries come from an eventually consistent index.
        var status = await _notify.PollAsync("v1/topics/status/messages/s1", s => s.GetProperty("retries").GetArrayLength() == 1, "the scheduled retry", TimeSpan.FromSeconds(30));
        Assert.Equal("s1", status.GetProperty("messageId").GetString());
        Assert.Equal("status", status.GetProperty("topic").GetString());
        Assert.Equal(Published, status.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal((4, 2, 1, 1), (status.GetProperty("subscribers").GetInt64(), status.GetProperty("delivered").GetInt64(), status.GetProperty("retrying").GetInt64(), status.GetProperty("deadLettered").GetInt64()));
        var retry = status.GetProperty("retries")[0];
        Assert.Equal(id, retry.GetProperty("subscriptionId").GetString());
        Assert.Equal(3, retry.GetProperty("nextAttempt").GetInt32());
        Assert.Equal(due, retry.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.Equal("timed out after 15s", retry.GetProperty("lastError").GetString());

        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/other/messages/s1"), 404, "s1");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/status/messages/unknown"), 404, "unknown");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/status/messages/gone"), 404, "expired");
        await ProblemAssert.IsProblemAsync(await Http.GetAsync("v1/topics/nothing/messages/s1"), 404, "nothing");
    }

    [Theory]
    [InlineData("GET", "v1/subscriptions/any/dead-letters")]
    [InlineData("GET", "v1/subscriptions/any/dead-letters/m0")]
    [InlineData("POST", "v1/subscriptions/any/dead-letters/redrive")]
    [InlineData("DELETE", "v1/subscriptions/any/dead-letters/m0")]
    [InlineData("DELETE", "v1/subscriptions/any/dead-letters")]
    [InlineData("GET", "v1/subscriptions/any/stats")]
    [InlineData("GET", "v1/topics/any/stats")]
    [InlineData("GET", "v1/topics/any/messages/m0")]
    public async Task EveryCall_WithoutAKey_Answers401(string method, string path)
    {
        using var http = OpenApiContract.CreateClient(_notify.Process.BaseAddress);
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
        };
        await ProblemAssert.IsProblemAsync(await http.SendAsync(request), 401, "Authorization: Bearer");
    }

    protected async Task<string> SubscribeSmsAsync(string topic, string number)
    {
        await _notify.Client.CreateTopicAsync(topic);
        return (await _notify.Client.SubscribeAsync(topic, "sms", number)).GetProperty("id").GetString()!;
    }

    /// <summary>Message <c>m{index}</c>, published <paramref name="index"/> minutes after <see cref="Published"/>, dead-lettered an hour later.</summary>
    protected static DeadLetter Letter(string subscriptionId, string topic, int index, int attempts, bool permanent)
    {
        var publishedAt = Published.AddMinutes(index);
        var notification = new Notification
        {
            MessageId = $"m{index}",
            Topic = topic,
            Subject = $"Order {index}",
            Message = $"order {index}",
            Messages = new Dictionary<string, string> { ["sms"] = $"order {index} (sms)" },
            Attributes = new Dictionary<string, string> { ["region"] = "eu" },
            Timestamp = publishedAt,
        };
        return new DeadLetter
        {
            SubscriptionId = subscriptionId,
            MessageId = notification.MessageId,
            Topic = topic,
            PublishedAt = publishedAt,
            Envelope = EnvelopeJson.Serialize(QueueEnvelope.For(notification)),
            Attempts = Enumerable.Range(1, attempts).Select(n => DeliveryAttempt.Of(n, Published.AddSeconds(n - 1), "HTTP 500")).ToList(),
            LastError = permanent ? "HTTP 410" : "HTTP 500",
            Permanent = permanent,
            DeadLetteredAt = publishedAt.AddHours(1),
            ExpiresAt = DateTimeOffset.UtcNow.AddDays(14),
        };
    }

    private async Task<JsonElement> GetJsonAsync(string path) => await NotifyClient.ExpectJsonAsync(await Http.GetAsync(path), 200);

    private async Task<HttpResponseMessage> PostRedriveAsync(string id, string body) =>
        await Http.PostAsync($"v1/subscriptions/{id}/dead-letters/redrive", new StringContent(body, Encoding.UTF8, "application/json"));

    protected async Task<JsonElement> RedriveAsync(string id, string body) => await NotifyClient.ExpectJsonAsync(await PostRedriveAsync(id, body), 202);

    /// <summary>The delivery work in the embedded queue, read straight from queue.db (nothing receives it: no Sender runs).</summary>
    protected async Task<List<QueueEnvelope>> QueuedDeliveriesAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_notify.DataDirectory, "queue.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, body FROM messages ORDER BY sequence";
        var cipher = new PayloadCipher(EncryptionKeyFile.Read(_notify.DataDirectory)!, []);
        var envelopes = new List<QueueEnvelope>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var envelope = EnvelopeJson.Deserialize(cipher.Open(reader.GetValue(1), SealedContexts.QueueBody(reader.GetString(0))));
            if (envelope.Kind == EnvelopeKind.Delivery)
            {
                envelopes.Add(envelope);
            }
        }

        return envelopes;
    }

    private static IEnumerable<string?> MessageIds(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("messageId").GetString());

    private static (long, long, long, long, long) Counts(JsonElement stats, bool withDisabled) => (
        stats.GetProperty("published").GetInt64(),
        stats.GetProperty("delivered").GetInt64(),
        stats.GetProperty("retrying").GetInt64(),
        stats.GetProperty("deadLettered").GetInt64(),
        withDisabled ? stats.GetProperty("disabledSubscriptions").GetInt64() : 0);

    private static (long, long, long, long) HourCounts(JsonElement hour) => (
        hour.GetProperty("published").GetInt64(),
        hour.GetProperty("delivered").GetInt64(),
        hour.GetProperty("retrying").GetInt64(),
        hour.GetProperty("deadLettered").GetInt64());

    private static DateTimeOffset Minute(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));
}

public sealed class EmbeddedDeliveryStateApiTests() : DeliveryStateApiTests(Deployment.Embedded)
{
    /// <summary>One call redrives at most 1,000 and says so; its cursor redrives the rest, not the same again. (Embedded only: 1,001 writes to dynalite would take long.)</summary>
    [Fact]
    public async Task Redrive_OfMoreThanACallTakes_ContinuesWithItsCursor()
    {
        var id = await SubscribeSmsAsync("dl-many", "+15550100010");
        foreach (var chunk in Enumerable.Range(0, 1001).Chunk(50))
        {
            await Task.WhenAll(chunk.Select(i => Store.PutDeadLetterAsync(Letter(id, "dl-many", i, attempts: 1, permanent: false), CancellationToken.None)));
        }

        var first = await RedriveAsync(id, "{}");
        Assert.Equal((1000, true), (first.GetProperty("redriven").GetInt32(), first.GetProperty("more").GetBoolean()));
        var rest = await RedriveAsync(id, JsonSerializer.Serialize(new { cursor = first.GetProperty("nextCursor").GetString() }));
        Assert.Equal((1, false), (rest.GetProperty("redriven").GetInt32(), rest.GetProperty("more").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);
        Assert.Equal(1001, (await QueuedDeliveriesAsync()).Select(w => w.Notification!.MessageId).Distinct().Count());
    }
}

public sealed class AwsDeliveryStateApiTests() : DeliveryStateApiTests(Deployment.Aws);
