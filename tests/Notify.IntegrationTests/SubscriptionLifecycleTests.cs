using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// A subscription's life beyond subscribe and publish: its settings (filter policy), the listing across
/// topics, a confirmation that does not arrive, sending it again, expiry, deletion during retries, and an
/// unsubscribe link clicked twice. Real processes in both modes.
/// </summary>
public abstract class SubscriptionLifecycleTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    private HttpClient Http => _notify.Client.Http;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(
            new Dictionary<string, string?>
            {
                ["Notify:Sender:SubscriptionRecheckInterval"] = "00:00:00.300",

                // Long enough that a held attempt can only end early by being stopped.
                ["Notify:Webhooks:AttemptTimeout"] = "00:01:00",
            },
            deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task FilterPolicy_DeliversOnlyMatchingMessages_AndPatchingItChangesThat()
    {
        var all = await _notify.SubscribeConfirmedAsync(_receiver, "filtered", "all");
        var eu = await _notify.SubscribeConfirmedAsync(_receiver, "filtered", "eu");
        var patched = await PatchAsync($"v1/subscriptions/{eu}", """{"filterPolicy":{"region":["eu"],"amount":[{"numeric":[">",100]}]}}""", 200);
        Assert.Equal("""{"region":["eu"],"amount":[{"numeric":[">",100]}]}""", patched.GetProperty("filterPolicy").GetRawText());

        // Once the subscriber without a policy has a message, the fan-out that decided against "eu" is done.
        var small = await PublishAsync("filtered", "eu-small", ("region", "eu"), ("amount", "50"));
        var big = await PublishAsync("filtered", "eu-big", ("region", "eu"), ("amount", "500"));
        await WaitForAsync(all, small);
        await WaitForAsync(all, big);
        await WaitForAsync(eu, big);
        Assert.DoesNotContain(NotificationsOf(eu), n => n == small);

        await PatchAsync($"v1/subscriptions/{eu}", """{"filterPolicy":null}""", 200);
        var us = await PublishAsync("filtered", "us", ("region", "us"));
        await WaitForAsync(eu, us);
        var current = await NotifyClient.ExpectJsonAsync(await Http.GetAsync($"v1/subscriptions/{eu}"), 200);
        Assert.False(current.TryGetProperty("filterPolicy", out _));
    }

    [Fact]
    public async Task Subscribe_WithAFilterPolicy_IsIdempotentOnlyWithTheSamePolicy()
    {
        await _notify.Client.CreateTopicAsync("policies");
        var body = new { protocol = "sms", endpoint = "+15550001111", filterPolicy = new { kind = new[] { "alert" } } };

        using var first = await Http.PostAsJsonAsync("v1/topics/policies/subscriptions", body);
        using var again = await Http.PostAsJsonAsync("v1/topics/policies/subscriptions", body);
        using var other = await Http.PostAsJsonAsync("v1/topics/policies/subscriptions", new { protocol = "sms", endpoint = "+15550001111" });
        using var invalid = await Http.PostAsJsonAsync("v1/topics/policies/subscriptions", new { protocol = "sms", endpoint = "+15550002222", filterPolicy = new { kind = new[] { new { prefx = "a" } } } });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await ProblemAssert.IsProblemAsync(other, 409, "PATCH /v1/subscriptions/");
        await ProblemAssert.IsProblemAsync(invalid, 400, "filterPolicy.kind[0]");
    }

    [Fact]
    public async Task PatchTopic_SetsAndRemovesItsDisplayName()
    {
        await _notify.Client.CreateTopicAsync("named");

        var set = await PatchAsync("v1/topics/named", """{"displayName":"Order updates"}""", 200);
        var untouched = await PatchAsync("v1/topics/named", "{}", 200);
        var read = await NotifyClient.ExpectJsonAsync(await Http.GetAsync("v1/topics/named"), 200);
        var removed = await PatchAsync("v1/topics/named", """{"displayName":null}""", 200);

        Assert.Equal("Order updates", set.GetProperty("displayName").GetString());
        Assert.Equal("Order updates", untouched.GetProperty("displayName").GetString());
        Assert.Equal("Order updates", read.GetProperty("displayName").GetString());
        Assert.False(removed.TryGetProperty("displayName", out _));
        await PatchAsync("v1/topics/named", """{"name":"renamed"}""", 400, "Unknown field 'name'");
        await PatchAsync("v1/topics/named", """{"displayName":"line\nbreak"}""", 400, "control characters");
        await PatchAsync("v1/topics/never-made", """{"displayName":"x"}""", 404);
        using var plain = await Http.PatchAsync("v1/topics/named", new StringContent("{}", Encoding.UTF8, "text/plain"));
        await ProblemAssert.IsProblemAsync(plain, 415, "application/merge-patch+json");
    }

    [Fact]
    public async Task ListAll_FiltersByTopicProtocolAndStatus_InPages()
    {
        await _notify.Client.CreateTopicAsync("list-a");
        await _notify.Client.CreateTopicAsync("list-b");
        var smsA = (await _notify.Client.SubscribeAsync("list-a", "sms", "+15550003333")).GetProperty("id").GetString();
        var mailA = (await _notify.Client.SubscribeAsync("list-a", "email", "a@example.com")).GetProperty("id").GetString();
        var smsB = (await _notify.Client.SubscribeAsync("list-b", "sms", "+15550004444")).GetProperty("id").GetString();

        Assert.Equal([smsA, mailA], await ListAllAsync("topic=list-a"));
        Assert.Equal([smsA, smsB], (await ListAllAsync("protocol=sms")).Where(id => id == smsA || id == smsB));
        Assert.Equal([mailA], (await ListAllAsync("status=pending")).Where(id => id == mailA || id == smsA));
        Assert.Equal([smsA, mailA, smsB], (await ListAllAsync("limit=1")).Where(id => id == smsA || id == mailA || id == smsB));
        using var wrong = await Http.GetAsync("v1/subscriptions?status=gone");
        await ProblemAssert.IsProblemAsync(wrong, 400, "'pending', 'confirmed', 'opted-out'");
    }

    [Fact]
    public async Task Confirmation_ThatFails_IsShownOnThePendingSubscription_AndCanBeSentAgain()
    {
        await _notify.Client.CreateTopicAsync("unconfirmable");
        var refuse = true;
        _receiver.Respond = r => r.Type == "SubscriptionConfirmation" && Volatile.Read(ref refuse) ? 410 : 200;
        var id = (await _notify.Client.SubscribeAsync("unconfirmable", "webhook", _receiver.Url("gone").AbsoluteUri)).GetProperty("id").GetString()!;

        var pending = await PollAsync($"v1/subscriptions/{id}", s => s.TryGetProperty("lastDeliveryError", out _), "the confirmation's failure");
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal("http:410", pending.GetProperty("lastDeliveryError").GetProperty("code").GetString());
        Assert.Contains("HTTP 410", pending.GetProperty("lastDeliveryError").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(pending.GetProperty("expiresAt").GetDateTimeOffset() > pending.GetProperty("createdAt").GetDateTimeOffset().AddDays(2));

        Volatile.Write(ref refuse, false);
        using (var resend = await Http.PostAsync($"v1/subscriptions/{id}/confirmation", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        }

        await PollAsync($"v1/subscriptions/{id}", s => !s.TryGetProperty("lastDeliveryError", out _), "the error cleared by a delivered confirmation");
        var delivered = _receiver.Answered.Last(a => a.Request.Type == "SubscriptionConfirmation" && a.Status == 200).Request;
        var confirmed = await NotifyClient.FollowLinkAsync(delivered.Json.GetProperty("confirmUrl").GetString()!);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        Assert.False(confirmed.TryGetProperty("expiresAt", out _));
        using var again = await Http.PostAsync($"v1/subscriptions/{id}/confirmation", null);
        await ProblemAssert.IsProblemAsync(again, 409, "already confirmed");
    }

    [Fact]
    public async Task DeletingASubscription_StopsTheDeliveryBeingTried()
    {
        var doomed = await _notify.SubscribeConfirmedAsync(_receiver, "stopping", "stopping/doomed");
        var witness = await _notify.SubscribeConfirmedAsync(_receiver, "stopping", "stopping/witness");
        _receiver.Hold = r => r.Path == "/stopping/doomed" && r.Type == "Notification";
        await PublishAsync("stopping", "first");
        await _receiver.WaitUntilAsync(r => r.Any(x => x.Path == "/stopping/doomed" && x.Type == "Notification"), Patience, "the held attempt");

        using (var deleted = await Http.DeleteAsync($"v1/subscriptions/{doomed}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Without the stop the attempt would be held until its one-minute timeout, then tried again.
        await _receiver.WaitForHangUpAsync(r => r.Path == "/stopping/doomed", TimeSpan.FromSeconds(20), "the held attempt to be given up");
        var marker = await PublishAsync("stopping", "second");
        await WaitForAsync(witness, marker);
        Assert.Single(_receiver.Received, r => r.Path == "/stopping/doomed" && r.Type == "Notification");
    }

    [Fact]
    public async Task UnsubscribeLink_ClickedTwice_SaysItAlreadyWas()
    {
        var id = await _notify.SubscribeConfirmedAsync(_receiver, "leaving", "hook");
        var messageId = await PublishAsync("leaving", "goodbye");
        await WaitForAsync(id, messageId);
        var link = _receiver.Notifications.First(n => n.Json.GetProperty("subscriptionId").GetString() == id).Json.GetProperty("unsubscribeUrl").GetString()!;
        var confirmLink = _receiver.Received.First(r => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id)
            .Json.GetProperty("confirmUrl").GetString()!;

        var first = await NotifyClient.FollowLinkAsync(link);
        var second = await NotifyClient.FollowLinkAsync(link);
        using var anonymous = OpenApiContract.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var page = await (await anonymous.GetAsync(link)).Content.ReadAsStringAsync();
        using var forged = await anonymous.GetAsync(link[..(link.IndexOf("token=", StringComparison.Ordinal) + 6)] + "forged");
        using var confirmAfter = await OpenApiContract.CreateClient().GetAsync(confirmLink);

        Assert.Equal(("unsubscribed", false), (first.GetProperty("status").GetString(), first.GetProperty("alreadyUnsubscribed").GetBoolean()));
        Assert.Equal(("unsubscribed", true), (second.GetProperty("status").GetString(), second.GetProperty("alreadyUnsubscribed").GetBoolean()));
        Assert.Equal(first.GetProperty("unsubscribedAt").GetDateTimeOffset(), second.GetProperty("unsubscribedAt").GetDateTimeOffset());
        Assert.Contains("Already unsubscribed", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("This link is not valid or has expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(confirmAfter, 404, "was unsubscribed");
    }

    [Fact]
    public async Task AuditLine_NamesTheRouteTemplate()
    {
        await _notify.Client.CreateTopicAsync("audited");
        await _notify.Client.Http.GetAsync("v1/topics/audited");

        // A change is an audit event named for its action; a read is a line naming the route template.
        await Eventually(() => Regex.IsMatch(_notify.Process.Output, @"CreateTopic /v1/topics by admin:[0-9a-f]{8} from 127\.0\.0\.1 at \S+Z: success \(201\)")
            && _notify.Process.Output.Contains("GET /v1/topics/{name} -> 200", StringComparison.Ordinal), "the audit lines");
        Assert.DoesNotContain("/v1/topics/ ->", _notify.Process.Output, StringComparison.Ordinal);
    }

    private async Task<JsonElement> PatchAsync(string path, string json, int status, string? detail = null)
    {
        using var response = await Http.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));
        if (status >= 400)
        {
            await ProblemAssert.IsProblemAsync(response, status, detail);
            return default;
        }

        return await NotifyClient.ExpectJsonAsync(response, status);
    }

    private async Task<string> PublishAsync(string topic, string message, params (string Name, string Value)[] attributes)
    {
        object body = attributes.Length == 0
            ? new { message }
            : new { message, attributes = attributes.ToDictionary(a => a.Name, a => a.Value) };
        return (await _notify.Client.PublishAsync(topic, body)).GetProperty("messageId").GetString()!;
    }

    private IEnumerable<string> NotificationsOf(string subscriptionId) =>
        _receiver.Notifications.Where(n => n.Json.GetProperty("subscriptionId").GetString() == subscriptionId).Select(n => n.Json.GetProperty("messageId").GetString()!);

    private Task WaitForAsync(string subscriptionId, string messageId) =>
        _receiver.WaitUntilAsync(_ => NotificationsOf(subscriptionId).Contains(messageId), Patience, $"message {messageId} at {subscriptionId}");

    private async Task<List<string?>> ListAllAsync(string query)
    {
        var ids = new List<string?>();
        string? cursor = null;
        do
        {
            var page = await NotifyClient.ExpectJsonAsync(
                await Http.GetAsync($"v1/subscriptions?{query}{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}"), 200);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }

    private Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> condition, string what) =>
        _notify.PollAsync(path, condition, what, Patience);

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }
}

public sealed class EmbeddedSubscriptionLifecycleTests() : SubscriptionLifecycleTests(Deployment.Embedded);

public sealed class AwsSubscriptionLifecycleTests() : SubscriptionLifecycleTests(Deployment.Aws);
