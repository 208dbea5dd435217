using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Notify.Frontend.Audit;

namespace Notify.Tests.Frontend;

/// <summary>The audit trail of a real Frontend's calls, read from its log.</summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private InProcessFrontend _frontend = null!;

    public async Task InitializeAsync() => _frontend = await InProcessFrontend.StartAsync();

    public async Task DisposeAsync() => await _frontend.DisposeAsync();

    private static string AdminKeyId =>
        "admin:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(InProcessFrontend.AdminKey)), 0, 4);

    [Fact]
    public async Task StateChangingCalls_AreRecorded_WithEveryField_AndNeverTheQuery()
    {
        using var http = _frontend.Client();
        var before = DateTime.UtcNow;
        using var created = await http.PostAsync("v1/topics?token=query-secret-4471", Json("""{"name":"orders"}"""));
        using var published = await http.PostAsync("v1/topics/orders/messages", Json("""{"message":"body-secret-9921"}"""));
        using var missing = await http.DeleteAsync("v1/topics/nothing-here");
        using var read = await http.GetAsync("v1/topics");
        var after = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, published.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var events = AuditEvents();
        Assert.Equal(3, events.Count);
        AssertEvent(events[0], AdminKeyId, "CreateTopic", "/v1/topics", "success", 201, before, after);
        AssertEvent(events[1], AdminKeyId, "Publish", "/v1/topics/orders/messages", "success", 202, before, after);
        AssertEvent(events[2], AdminKeyId, "DeleteTopic", "/v1/topics/nothing-here", "failure", 404, before, after);

        // The read has its own, shorter line, not an audit event.
        var readLine = Assert.Single(_frontend.Logs.GetSnapshot(), r => r.Id.Name == "ApiCall");
        Assert.Equal("GET", readLine.GetStructuredStateValue("Method"));
        Assert.Equal("/v1/topics", readLine.GetStructuredStateValue("Route"));

        // The framework's own request lines are the logging configuration's business; the trail's are checked here.
        var text = AuditText();
        Assert.DoesNotContain("query-secret-4471", text, StringComparison.Ordinal);
        Assert.DoesNotContain("body-secret-9921", text, StringComparison.Ordinal);
        Assert.DoesNotContain(InProcessFrontend.AdminKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_IsRecordedAsDenied_WithoutThePresentedKey()
    {
        using var http = _frontend.Client("nfy_presented-wrong-key-6610");
        var before = DateTime.UtcNow;
        using var read = await http.GetAsync("v1/topics");
        using var write = await http.PostAsync("v1/topics", Json("""{"name":"orders"}"""));
        var after = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);

        var events = AuditEvents();
        Assert.Equal(2, events.Count);
        AssertEvent(events[0], "anonymous", "ListTopics", "/v1/topics", "denied", 401, before, after);
        AssertEvent(events[1], "anonymous", "CreateTopic", "/v1/topics", "denied", 401, before, after);
        Assert.DoesNotContain("presented-wrong-key-6610", AuditText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyWithoutThePermission_IsRecordedAsDenied_UnderItsOwnId()
    {
        using var admin = _frontend.Client();
        using var topic = await admin.PostAsync("v1/topics", Json("""{"name":"orders"}"""));
        using var created = await admin.PostAsync("v1/keys", Json("""{"name":"publisher","permissions":["publish"],"topics":["orders"]}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var key = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var keyId = key.RootElement.GetProperty("id").GetString()!;
        var secret = key.RootElement.GetProperty("key").GetString()!;

        using var scoped = _frontend.Client(secret);
        var before = DateTime.UtcNow;
        using var deleted = await scoped.DeleteAsync("v1/topics/orders");
        var after = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);

        var denied = Assert.Single(AuditEvents(), r => r.GetStructuredStateValue("Status") == "403");
        AssertEvent(denied, keyId, "DeleteTopic", "/v1/topics/orders", "denied", 403, before, after);
        Assert.DoesNotContain(secret, AuditText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkPagesFollowedWithAGet_AreRecordedAsChanges_WithoutTheirToken()
    {
        using var anonymous = _frontend.Client(key: null);
        var before = DateTime.UtcNow;
        using var confirm = await anonymous.GetAsync("v1/subscriptions/01unknown/confirm?token=link-token-5521");
        using var unsubscribe = await anonymous.GetAsync("v1/subscriptions/01unknown/unsubscribe?token=link-token-5522");
        var after = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unsubscribe.StatusCode);

        var events = AuditEvents();
        Assert.Equal(2, events.Count);
        AssertEvent(events[0], "anonymous", "ConfirmSubscription", "/v1/subscriptions/01unknown/confirm", "failure", 404, before, after);
        AssertEvent(events[1], "anonymous", "Unsubscribe", "/v1/subscriptions/01unknown/unsubscribe", "failure", 404, before, after);
        Assert.DoesNotContain("link-token-55", AuditText(), StringComparison.Ordinal);
    }

    private string AuditText() =>
        string.Join('\n', _frontend.Logs.GetSnapshot().Where(r => r.Category == AuditLog.Category).Select(r => $"{r.Message} {string.Join(' ', r.StructuredState!.Select(s => s.Value))}"));

    private List<FakeLogRecord> AuditEvents()
    {
        var records = _frontend.Logs.GetSnapshot().Where(r => r.Id.Name == "AuditEvent").ToList();
        Assert.All(records, r => Assert.Equal(AuditLog.Category, r.Category));
        return records;
    }

    private static void AssertEvent(FakeLogRecord record, string keyId, string action, string target, string outcome, int status, DateTime before, DateTime after)
    {
        Assert.Equal(keyId, record.GetStructuredStateValue("KeyId"));
        Assert.Equal(action, record.GetStructuredStateValue("Action"));
        Assert.Equal(target, record.GetStructuredStateValue("Target"));
        Assert.Equal(outcome, record.GetStructuredStateValue("Outcome"));
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), record.GetStructuredStateValue("Status"));
        Assert.Equal("127.0.0.1", record.GetStructuredStateValue("RemoteAddress"));

        var time = record.GetStructuredStateValue("Time")!;
        Assert.EndsWith("Z", time, StringComparison.Ordinal);
        var at = DateTime.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.Equal(DateTimeKind.Utc, at.Kind);
        Assert.InRange(at, before.AddSeconds(-1), after.AddSeconds(1));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
