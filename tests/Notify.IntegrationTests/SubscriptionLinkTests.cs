using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// The confirm and unsubscribe links as their holders and strangers use them: the tokens a real delivery
/// carries work, a wrong token and an unknown subscription get the very same answer, and every answer
/// carries the headers that keep the token in the URL from leaking. Real processes in both modes.
/// </summary>
public abstract class SubscriptionLinkTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(deployment: deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task LinksFromDeliveries_ConfirmAndUnsubscribe_AndEveryAnswerCarriesTheLinkHeaders()
    {
        var (id, confirmation) = await SubscribeAsync("links", "hook");
        var confirmUrl = confirmation.GetProperty("confirmUrl").GetString()!;
        Assert.EndsWith("?token=" + confirmation.GetProperty("token").GetString(), confirmUrl, StringComparison.Ordinal);

        using var browser = Browser();
        using var confirmed = await browser.GetAsync(confirmUrl);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Subscription confirmed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertLinkHeadersAsync(confirmed);

        var messageId = (await _notify.Client.PublishAsync("links", new { message = "hello" })).GetProperty("messageId").GetString();
        var delivered = await _receiver.WaitUntilAsync(r => r.Any(n => n.Type == "Notification" && n.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");
        var unsubscribeUrl = delivered.First(n => n.Type == "Notification").Json.GetProperty("unsubscribeUrl").GetString()!;

        // The confirm token does not unsubscribe: each link has a token of its own.
        using var crossed = await browser.GetAsync(unsubscribeUrl[..(unsubscribeUrl.IndexOf("token=", StringComparison.Ordinal) + 6)] + confirmation.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);

        using var api = OpenApiContract.CreateClient();
        using var oneClick = await api.PostAsync(unsubscribeUrl, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var unsubscribed = await NotifyClient.ExpectJsonAsync(oneClick, 200);
        Assert.Equal(id, unsubscribed.GetProperty("id").GetString());
        Assert.False(unsubscribed.GetProperty("alreadyUnsubscribed").GetBoolean());
        await AssertLinkHeadersAsync(oneClick);

        using var again = await browser.GetAsync(unsubscribeUrl);
        Assert.Contains("Already unsubscribed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertLinkHeadersAsync(again);
    }

    /// <summary>
    /// A wrong token for an existing subscription, any token for an unknown one, and a wrong token for an
    /// unsubscribed one: the same status, headers and body (JSON answers after their traceId), for each link,
    /// to a browser and to an API client.
    /// </summary>
    [Fact]
    public async Task WrongTokenAndUnknownSubscription_AnswerTheSame()
    {
        var (existing, _) = await SubscribeAsync("strangers", "pending");
        var (gone, confirmation) = await SubscribeAsync("strangers", "gone");
        await NotifyClient.FollowLinkAsync(confirmation.GetProperty("confirmUrl").GetString()!);
        Assert.Equal(204, (int)(await _notify.Client.Http.DeleteAsync($"v1/subscriptions/{gone}")).StatusCode);
        var unknown = existing[..^4] + (existing[^4..] == "ZZZZ" ? "YYYY" : "ZZZZ");
        // A token of the right shape that is no link's: one character off a real one.
        var real = confirmation.GetProperty("token").GetString()!;
        var token = (real[0] == 'A' ? "B" : "A") + real[1..];

        foreach (var html in new[] { true, false })
        {
            using var client = html ? Browser() : OpenApiContract.CreateClient(_notify.Process.BaseAddress);
            foreach (var (method, link) in new[] { (HttpMethod.Get, "confirm"), (HttpMethod.Get, "unsubscribe"), (HttpMethod.Post, "unsubscribe") })
            {
                var answers = new List<string>();
                foreach (var id in new[] { unknown, existing, gone })
                {
                    using var response = await client.SendAsync(new HttpRequestMessage(method, $"v1/subscriptions/{id}/{link}?token={token}"));
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                    await AssertLinkHeadersAsync(response);
                    answers.Add(await DescribeAsync(response));
                }

                Assert.True(answers.Distinct().Count() == 1, $"{method} {link} (html: {html}) answers differ:\n{string.Join("\n----\n", answers)}");
            }
        }
    }

    private async Task<(string Id, JsonElement Confirmation)> SubscribeAsync(string topic, string path)
    {
        await _notify.Client.CreateTopicAsync(topic);
        var id = (await _notify.Client.SubscribeAsync(topic, "webhook", _receiver.Url(path).AbsoluteUri)).GetProperty("id").GetString()!;
        bool IsMine(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
        var received = await _receiver.WaitUntilAsync(r => r.Any(IsMine), Patience, $"the confirmation of {id}");
        return (id, received.First(IsMine).Json.Clone());
    }

    private HttpClient Browser()
    {
        var client = OpenApiContract.CreateClient(_notify.Process.BaseAddress);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    internal static async Task AssertLinkHeadersAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadAsStringAsync();
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy, StringComparison.Ordinal);
        Assert.EndsWith("'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
        {
            // The page's only style is the element the policy's hash allows; nothing inline besides.
            var style = page[(page.IndexOf("<style>", StringComparison.Ordinal) + 7)..page.IndexOf("</style>", StringComparison.Ordinal)];
            var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(style)));
            Assert.Contains($"style-src 'sha256-{hash}'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("style=", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Status, headers (but Date) and body of an answer; a problem's traceId, the one per-request value, left out.</summary>
    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.True(problem.Remove("traceId"));
            body = problem.ToJsonString();
        }

        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}");
        return $"{(int)response.StatusCode}\n{string.Join('\n', headers)}\n\n{body}";
    }
}

public sealed class EmbeddedSubscriptionLinkTests() : SubscriptionLinkTests(Deployment.Embedded);

public sealed class AwsSubscriptionLinkTests() : SubscriptionLinkTests(Deployment.Aws);
