using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Notify.Metadata.Model;
using Notify.Sender.Channels.Webhooks;
using Notify.Shared.Webhooks;
using Notify.Tests.Webhooks.Support;
using static Notify.Tests.Webhooks.Support.WebhookTestServer;

namespace Notify.Tests.Webhooks;

/// <summary>
/// The Standard Webhooks headers on what a real local endpoint receives, on a manual clock. The signatures
/// are checked here by a verifier written from the specification; the integration tests check them with
/// the specification's own npm library.
/// </summary>
public sealed class WebhookSignatureTests
{
    private static readonly string Secret = WebhookSecret.New();

    [Fact]
    public async Task Notification_CarriesWebhookIdTimestampAndASignatureOverTheExactBodySent()
    {
        await using var server = await StartAsync(200);
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(server.Url()) with { SigningSecrets = new SigningSecrets(Secret) };

        var result = await harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None);

        Assert.True(result.Delivered);
        var request = Assert.Single(server.Requests);
        Assert.Equal($"msg_0190a1b2-msg_{subscription.Id}", request.Headers["webhook-id"]);
        Assert.Equal(harness.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"]);
        Assert.Equal([Expected(Secret, request)], request.Headers["webhook-signature"].Split(' '));
        Assert.Equal("0190a1b2-msg", request.Headers["X-Notify-Message-Id"]);
    }

    [Fact]
    public async Task Retry_KeepsTheWebhookIdAndSignsAgainWithTheAttemptsOwnTimestamp()
    {
        await using var server = await StartAsync(new Reply(503, RetryAfter: "5"), new Reply(200));
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(server.Url()) with { SigningSecrets = new SigningSecrets(Secret) };
        var start = harness.Clock.GetUtcNow();

        var (result, delays) = await harness.RunThroughRetriesAsync(
            harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None));

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(5)], delays);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal(requests[0].Headers["webhook-id"], requests[1].Headers["webhook-id"]);
        Assert.Equal(start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), requests[0].Headers["webhook-timestamp"]);
        Assert.Equal((start + delays[0]).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), requests[1].Headers["webhook-timestamp"]);
        Assert.NotEqual(requests[0].Headers["webhook-signature"], requests[1].Headers["webhook-signature"]);
        Assert.All(requests, r => Assert.Equal(Expected(Secret, r), r.Headers["webhook-signature"]));
    }

    [Fact]
    public async Task DuringARotationsOverlap_BothSecretsSign_AndAfterItOnlyTheNewOne()
    {
        await using var server = await StartAsync(200, 200);
        using var harness = WebhookHarness.Create();
        var previous = WebhookSecret.New();
        var secrets = new SigningSecrets(Secret, previous, harness.Clock.GetUtcNow().AddHours(1));
        var subscription = WebhookHarness.Subscription(server.Url()) with { SigningSecrets = secrets };

        await harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        await harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None);

        var requests = server.Requests.ToArray();
        Assert.Equal([Expected(Secret, requests[0]), Expected(previous, requests[0])], requests[0].Headers["webhook-signature"].Split(' '));
        Assert.Equal([Expected(Secret, requests[1])], requests[1].Headers["webhook-signature"].Split(' '));
    }

    [Fact]
    public async Task ASubscriptionWithoutSecrets_IsStillDelivered_WithIdAndTimestampButNoSignature()
    {
        await using var server = await StartAsync(200);
        using var harness = WebhookHarness.Create();

        var result = await harness.DeliverAsync(server.Url());

        Assert.True(result.Delivered);
        var request = Assert.Single(server.Requests);
        Assert.True(request.Headers.ContainsKey("webhook-id"));
        Assert.True(request.Headers.ContainsKey("webhook-timestamp"));
        Assert.False(request.Headers.ContainsKey("webhook-signature"));
    }

    [Fact]
    public async Task Confirmation_IsSignedUnderAnIdOfItsOwn()
    {
        await using var server = await StartAsync(200);
        using var harness = WebhookHarness.Create();
        var subscription = WebhookHarness.Subscription(server.Url(), status: SubscriptionStatus.Pending) with { SigningSecrets = new SigningSecrets(Secret) };

        var result = await harness.Channel.ConfirmAsync(subscription, CancellationToken.None);

        Assert.True(result.Delivered);
        var request = Assert.Single(server.Requests);
        Assert.Equal($"msg_confirmation_{subscription.Id}", request.Headers["webhook-id"]);
        Assert.Equal(Expected(Secret, request), request.Headers["webhook-signature"]);
    }

    [Fact]
    public async Task OneMessageToTwoSubscriptions_HasTwoWebhookIds()
    {
        await using var server = await StartAsync(200, 200);
        using var harness = WebhookHarness.Create();

        await harness.Channel.DeliverAsync(WebhookHarness.Notification(), WebhookHarness.Subscription(server.Url(), id: "sub-a"), plan: null, CancellationToken.None);
        await harness.Channel.DeliverAsync(WebhookHarness.Notification(), WebhookHarness.Subscription(server.Url(), id: "sub-b"), plan: null, CancellationToken.None);

        Assert.Equal(2, server.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    /// <summary>The specification's signature, computed here from its text: v1, base64 HMAC-SHA256 of "id.timestamp.body".</summary>
    private static string Expected(string secret, RecordedRequest request)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = $"{request.Headers["webhook-id"]}.{request.Headers["webhook-timestamp"]}.{request.Body}";
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(content)));
    }
}
