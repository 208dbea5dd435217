using System.Net;
using System.Text.Json;
using Notify.IntegrationTests.Support;
using Notify.Metadata.Model;
using Notify.TestServers;

namespace Notify.IntegrationTests;

/// <summary>
/// Standard Webhooks signatures on what a real endpoint receives from real Notify processes, each request
/// checked with the specification's own npm library (<see cref="StandardWebhooksVerifier"/>).
/// </summary>
public abstract class SignedWebhookTests(Deployment deployment) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    protected NotifyService Notify => _notify;

    protected WebhookReceiver Receiver => _receiver;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();

        // A standalone Sender (Aws mode) sees a rotation when its cached fan-out list expires: cached for a
        // millisecond here, so the first delivery after the rotation is signed with both secrets.
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Cache:Ttl"] = "00:00:00.001" }, deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task EveryRequest_VerifiesWithTheStandardWebhooksLibrary_ThroughARetryAndARotation()
    {
        await _notify.Client.CreateTopicAsync("signed");
        var subscription = await SubscribeAsync("signed", "signed/hook", HttpStatusCode.Created);
        var id = subscription.GetProperty("id").GetString()!;
        var secret = subscription.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        // The confirmation request is signed, under an id of its own.
        var confirmation = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "SubscriptionConfirmation"), Patience, "the confirmation request"))
            .Single(x => x.Type == "SubscriptionConfirmation");
        await AssertVerifiesAsync(secret, confirmation);
        Assert.Equal($"msg_confirmation_{id}", confirmation.Headers["webhook-id"]);
        await NotifyClient.FollowLinkAsync(confirmation.Json.GetProperty("confirmUrl").GetString()!);

        // A delivery that fails once: both attempts carry the same webhook-id, each is signed and verifies.
        _receiver.Respond = r => r.Type == "Notification" && r.Headers["X-Notify-Attempt"] == "1" ? 503 : 200;
        var messageId = (await _notify.Client.PublishAsync("signed", new { message = "retried, then delivered — ünïcode" })).GetProperty("messageId").GetString()!;
        var attempts = await AttemptsOfAsync(messageId, 2);
        Assert.Equal(["1", "2"], attempts.Select(a => a.Headers["X-Notify-Attempt"]));
        Assert.Equal($"msg_{messageId}_{id}", attempts[0].Headers["webhook-id"]);
        Assert.Equal(attempts[0].Headers["webhook-id"], attempts[1].Headers["webhook-id"]);
        foreach (var attempt in attempts)
        {
            await AssertVerifiesAsync(secret, attempt);
        }

        // The check can fail: one byte of the body changed, or another secret, is refused.
        var tampered = attempts[1] with { RawBody = [.. attempts[1].RawBody[..^2], (byte)' ', attempts[1].RawBody[^1]] };
        await AssertRefusedAsync(secret, tampered);
        await AssertRefusedAsync("whsec_" + Convert.ToBase64String(new byte[32]), attempts[1]);

        // A rotation: the answer shows the new secret once; deliveries carry two signatures, each secret verifies.
        using var rotate = await _notify.Client.Http.PostAsync($"v1/subscriptions/{id}/secret/rotate", null);
        var rotated = await NotifyClient.ExpectJsonAsync(rotate, 200);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);
        var overlapEnds = rotated.GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(overlapEnds, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        var afterRotation = (await AttemptsOfAsync(
            (await _notify.Client.PublishAsync("signed", new { message = "after the rotation" })).GetProperty("messageId").GetString()!, 1))[0];
        Assert.Equal(2, afterRotation.Headers["webhook-signature"].Split(' ').Length);
        await AssertVerifiesAsync(newSecret, afterRotation);
        await AssertVerifiesAsync(secret, afterRotation);

        // The secrets are never read back.
        using var get = await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}");
        var shown = await get.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(newSecret, shown, StringComparison.Ordinal);
        Assert.False((await SubscribeAsync("signed", "signed/hook", HttpStatusCode.OK)).TryGetProperty("secret", out _));
    }

    protected async Task<JsonElement> SubscribeAsync(string topic, string path, HttpStatusCode expected)
    {
        using var response = await _notify.Client.Http.PostAsync(
            $"v1/topics/{topic}/subscriptions",
            System.Net.Http.Json.JsonContent.Create(new { protocol = "webhook", endpoint = _receiver.Url(path).AbsoluteUri }));
        return await NotifyClient.ExpectJsonAsync(response, (int)expected);
    }

    /// <summary>The first <paramref name="count"/> requests of message <paramref name="messageId"/>'s delivery, in arrival order.</summary>
    protected async Task<IReadOnlyList<ReceivedWebhook>> AttemptsOfAsync(string messageId, int count)
    {
        bool Of(ReceivedWebhook r) => r.Type == "Notification" && r.Json.GetProperty("messageId").GetString() == messageId;
        var received = await _receiver.WaitUntilAsync(r => r.Count(Of) >= count, Patience, $"{count} attempt(s) of {messageId}");
        return received.Where(Of).Take(count).ToList();
    }

    protected static async Task AssertVerifiesAsync(string secret, ReceivedWebhook request)
    {
        var (verified, output) = await StandardWebhooksVerifier.VerifyAsync(secret, request.Headers, request.RawBody);
        Assert.True(verified, $"standardwebhooks refused {request.Headers.GetValueOrDefault("webhook-id")}: {output}");
    }

    protected static async Task AssertRefusedAsync(string secret, ReceivedWebhook request)
    {
        var (verified, output) = await StandardWebhooksVerifier.VerifyAsync(secret, request.Headers, request.RawBody);
        Assert.False(verified, $"standardwebhooks accepted {request.Headers.GetValueOrDefault("webhook-id")}: {output}");
    }
}

public sealed class EmbeddedSignedWebhookTests() : SignedWebhookTests(Deployment.Embedded)
{
    /// <summary>
    /// A webhook subscription made before deliveries were signed has no secret: it is still delivered,
    /// unsigned, and its first rotation gives it a secret (with no previous one) that signs from then on.
    /// </summary>
    [Fact]
    public async Task ASubscriptionWithoutASecret_IsDeliveredUnsigned_UntilItsFirstRotation()
    {
        await Notify.Client.CreateTopicAsync("legacy");
        var id = global::Notify.Shared.Ids.SortableId.New(TimeProvider.System);
        using (var metadata = ServiceMetadataStore.Open(Notify))
        {
            await metadata.Store.SubscribeAsync(new Subscription
            {
                Id = id,
                Topic = "legacy",
                Protocol = Protocol.Webhook,
                Endpoint = Receiver.Url("legacy/hook").AbsoluteUri,
                Status = SubscriptionStatus.Confirmed,
                CreatedAt = DateTimeOffset.UtcNow,
                ConfirmedAt = DateTimeOffset.UtcNow,
            }, default);
        }

        var unsigned = (await AttemptsOfAsync((await Notify.Client.PublishAsync("legacy", new { message = "before" })).GetProperty("messageId").GetString()!, 1))[0];
        Assert.False(unsigned.Headers.ContainsKey("webhook-signature"));
        Assert.True(unsigned.Headers.ContainsKey("webhook-id"));

        using var rotate = await Notify.Client.Http.PostAsync($"v1/subscriptions/{id}/secret/rotate", null);
        var rotated = await NotifyClient.ExpectJsonAsync(rotate, 200);
        var secret = rotated.GetProperty("secret").GetString()!;
        Assert.Equal(JsonValueKind.Null, rotated.GetProperty("previousSecretExpiresAt").ValueKind);

        var signed = (await AttemptsOfAsync((await Notify.Client.PublishAsync("legacy", new { message = "after" })).GetProperty("messageId").GetString()!, 1))[0];
        Assert.Single(signed.Headers["webhook-signature"].Split(' '));
        await AssertVerifiesAsync(secret, signed);
    }

    [Fact]
    public async Task Rotate_OfAnUnknownSubscription_Is404_AndOfAnEmailSubscription_Is409()
    {
        await Notify.Client.CreateTopicAsync("mail");
        var email = await Notify.Client.SubscribeAsync("mail", "email", "ops@example.com");
        Assert.False(email.TryGetProperty("secret", out _));

        using var unknown = await Notify.Client.Http.PostAsync("v1/subscriptions/no-such-subscription/secret/rotate", null);
        await ProblemAssert.IsProblemAsync(unknown, 404, "does not exist");
        using var notAWebhook = await Notify.Client.Http.PostAsync($"v1/subscriptions/{email.GetProperty("id").GetString()}/secret/rotate", null);
        await ProblemAssert.IsProblemAsync(notAWebhook, 409, "only webhook subscriptions have a signing secret");
    }
}

/// <summary>The same with the Frontend and the Sender as separate processes on DynamoDB and SQS.</summary>
public sealed class AwsSignedWebhookTests() : SignedWebhookTests(Deployment.Aws);
