using System.Net;
using Notify.IntegrationTests.Support;
using Notify.TestServers;

namespace Notify.IntegrationTests;

/// <summary>
/// SMS subscribers end to end: real Notify processes call a local server that speaks Twilio's Messages
/// API, and Twilio's inbound webhook is posted to Notify signed as Twilio signs it.
/// </summary>
public abstract class SmsTests(Deployment deployment, TwilioServer twilio) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        twilio.Reset();
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Sms:Twilio:AccountSid"] = twilio.AccountSid,
            ["Notify:Sms:Twilio:AuthToken"] = twilio.AuthToken,
            ["Notify:Sms:Twilio:BaseUrl"] = twilio.BaseUrl.AbsoluteUri,
        }, deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Subscriber_ReceivesEachMessageThroughTwilio_UntilTheyReplyStop()
    {
        var number = NewNumber();
        await _notify.Client.CreateTopicAsync("alerts");
        var subscription = await _notify.Client.SubscribeAsync("alerts", "sms", number);
        var id = subscription.GetProperty("id").GetString()!;
        Assert.Equal("confirmed", subscription.GetProperty("status").GetString());

        // The SMS body of its own, as Twilio's API wants it: form fields, basic auth, the account in the path.
        await _notify.Client.PublishAsync("alerts", new { messages = new Dictionary<string, string> { ["default"] = "a long default", ["sms"] = "Disk 90% full" } });
        var sent = Assert.Single(await twilio.WaitForSentAsync(r => r.Form["To"] == number, 1, Patience, "the first SMS"));
        Assert.Equal("Disk 90% full", sent.Form["Body"]);
        Assert.Equal("+15550000000", sent.Form["From"]);
        Assert.Equal(twilio.AccountSid, sent.AuthorizationUser);
        Assert.Equal(twilio.AuthToken, sent.AuthorizationPassword);

        // A body over 1,600 characters is cut, with an ellipsis.
        await _notify.Client.PublishAsync("alerts", new { message = new string('x', 2000) });
        var longOne = (await twilio.WaitForSentAsync(r => r.Form["To"] == number, 2, Patience, "the long SMS"))[^1];
        Assert.Equal(1600, longOne.Form["Body"].Length);
        Assert.EndsWith("x…", longOne.Form["Body"], StringComparison.Ordinal);

        // A STOP that Twilio did not sign changes nothing.
        using var forged = await PostInboundAsync(number, "STOP", signature: "bm90IGEgc2lnbmF0dXJl");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("X-Twilio-Signature", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("confirmed", (await GetSubscriptionAsync(id)).GetProperty("status").GetString());

        // Twilio's signed STOP opts the number out: the next message reaches the topic's webhook, not the phone.
        using (var stop = await PostInboundAsync(number, "Stop"))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
            Assert.Equal("text/xml", stop.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal("opted-out", (await GetSubscriptionAsync(id)).GetProperty("status").GetString());
        await _notify.SubscribeConfirmedAsync(_receiver, "alerts", "hook");
        await PublishAndSeeWebhookAsync("while opted out");
        Assert.Equal(2, twilio.Sent.Count(r => r.Form["To"] == number));

        // START opts it back in.
        using (var start = await PostInboundAsync(number, "START"))
        {
            Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        }

        Assert.Equal("confirmed", (await GetSubscriptionAsync(id)).GetProperty("status").GetString());
        await _notify.Client.PublishAsync("alerts", new { message = "welcome back" });
        var back = (await twilio.WaitForSentAsync(r => r.Form["To"] == number, 3, Patience, "the SMS after START"))[^1];
        Assert.Equal("welcome back", back.Form["Body"]);
    }

    [Fact]
    public async Task TwilioThrottlingAndOutages_AreRetried_UntilTheMessageIsSent()
    {
        var number = NewNumber();
        await _notify.Client.CreateTopicAsync("retried");
        await _notify.Client.SubscribeAsync("retried", "sms", number);
        twilio.FailNextRequests(1, 429, retryAfterSeconds: 1);
        twilio.FailNextRequests(1, 503);

        await _notify.Client.PublishAsync("retried", new { message = "eventually" });

        await twilio.WaitForSentAsync(r => r.Form["To"] == number, 1, Patience, "the SMS after a 429 and a 503");
        Assert.Equal([429, 503, 201], twilio.Requests.Where(r => r.Form.GetValueOrDefault("To") == number).Select(r => r.Status));
    }

    [Fact]
    public async Task PermanentTwilioErrors_AreNotRetried_AndAreRecordedOnTheSubscription()
    {
        var invalid = NewNumber();
        var unsubscribed = NewNumber();
        await _notify.Client.CreateTopicAsync("refused");
        var invalidId = (await _notify.Client.SubscribeAsync("refused", "sms", invalid)).GetProperty("id").GetString()!;
        var unsubscribedId = (await _notify.Client.SubscribeAsync("refused", "sms", unsubscribed)).GetProperty("id").GetString()!;
        twilio.FailNumber(invalid, 400, 21211, $"The 'To' number {invalid} is not a valid phone number.");
        twilio.FailNumber(unsubscribed, 400, 21610, "Attempt to send to unsubscribed recipient");
        await _notify.SubscribeConfirmedAsync(_receiver, "refused", "hook");

        await PublishAndSeeWebhookAsync("first", topic: "refused");
        var recorded = await WaitForAsync(async () =>
        {
            var subscription = await GetSubscriptionAsync(invalidId);
            return subscription.TryGetProperty("lastDeliveryError", out var error) && error.ValueKind == System.Text.Json.JsonValueKind.Object ? error : (System.Text.Json.JsonElement?)null;
        });
        Assert.Equal("twilio:21211", recorded.GetProperty("code").GetString());
        Assert.Contains("not a valid phone number", recorded.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // 21610: the number told Twilio to stop, so Notify opts it out too and stops calling.
        var optedOut = await WaitForAsync(async () =>
        {
            var subscription = await GetSubscriptionAsync(unsubscribedId);
            return subscription.GetProperty("status").GetString() == "opted-out" ? subscription : (System.Text.Json.JsonElement?)null;
        });
        Assert.Equal("twilio:21610", optedOut.GetProperty("lastDeliveryError").GetProperty("code").GetString());

        // The refused number is tried again for the next message (a refusal is per message); the opted-out
        // one is not. Each channel delivers on its own, so the webhook copy arriving first proves nothing
        // about the SMS: wait for the refused number's second request, which the fan-out that skipped the
        // opted-out number started.
        await PublishAndSeeWebhookAsync("second", topic: "refused");
        Assert.Equal(2, await WaitForAsync(() => Task.FromResult(
            twilio.Requests.Count(r => r.Form.GetValueOrDefault("To") == invalid) is var tries and >= 2 ? (int?)tries : null)));
        Assert.Equal(1, twilio.Requests.Count(r => r.Form.GetValueOrDefault("To") == unsubscribed));
    }

    private static string NewNumber() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PostInboundAsync(string from, string body, string? signature = null)
    {
        var url = _notify.Process.BaseAddress.AbsoluteUri + "v1/sms/inbound";
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["AccountSid"] = twilio.AccountSid,
            ["From"] = from,
            ["To"] = "+15550000000",
            ["Body"] = body,
            ["NumMedia"] = "0",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(twilio.AuthToken, url, fields));
        using var http = OpenApiContract.CreateClient();
        return await http.SendAsync(request);
    }

    private async Task<System.Text.Json.JsonElement> GetSubscriptionAsync(string id) =>
        await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}"), 200);

    /// <summary>Publishes and waits for the topic's webhook copy: by then the message's SMS deliveries have been decided too.</summary>
    private async Task PublishAndSeeWebhookAsync(string text, string topic = "alerts")
    {
        var messageId = (await _notify.Client.PublishAsync(topic, new { message = text })).GetProperty("messageId").GetString()!;
        await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, $"the webhook copy of '{text}'");
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : struct
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited {Patience.TotalSeconds:F0} s in vain.");
    }
}

public sealed class EmbeddedSmsTests(TwilioServer twilio) : SmsTests(Deployment.Embedded, twilio), IClassFixture<TwilioServer>;

public sealed class AwsSmsTests(TwilioServer twilio) : SmsTests(Deployment.Aws, twilio), IClassFixture<TwilioServer>;
