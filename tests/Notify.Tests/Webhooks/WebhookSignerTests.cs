using System.Text;
using Notify.Metadata.Model;
using Notify.Sender.Channels.Webhooks;
using Notify.Shared.Webhooks;

namespace Notify.Tests.Webhooks;

/// <summary>The Standard Webhooks signature, secrets and their rotation, without a network.</summary>
public sealed class WebhookSignerTests
{
    // The test vector published with the Standard Webhooks specification and its libraries.
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_MatchesTheSpecificationsTestVector()
    {
        var keys = WebhookSigner.Keys([VectorSecret]);

        Assert.Equal(VectorSignature, WebhookSigner.Sign(VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody), keys));
    }

    [Fact]
    public void Sign_ChangesWithTheBodyTheIdOrTheTimestamp()
    {
        var keys = WebhookSigner.Keys([VectorSecret]);
        var body = Encoding.UTF8.GetBytes(VectorBody);

        Assert.NotEqual(VectorSignature, WebhookSigner.Sign(VectorId, VectorTimestamp, Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), keys));
        Assert.NotEqual(VectorSignature, WebhookSigner.Sign("msg_other", VectorTimestamp, body, keys));
        Assert.NotEqual(VectorSignature, WebhookSigner.Sign(VectorId, VectorTimestamp + 1, body, keys));
    }

    [Fact]
    public void Sign_WithTwoSecrets_WritesOneV1EntryForEachInOrderSeparatedByASpace()
    {
        var other = WebhookSecret.New();
        var body = Encoding.UTF8.GetBytes(VectorBody);

        var header = WebhookSigner.Sign(VectorId, VectorTimestamp, body, WebhookSigner.Keys([VectorSecret, other]));

        var entries = header.Split(' ');
        Assert.Equal(2, entries.Length);
        Assert.Equal(VectorSignature, entries[0]);
        Assert.Equal(WebhookSigner.Sign(VectorId, VectorTimestamp, body, WebhookSigner.Keys([other])), entries[1]);
    }

    [Fact]
    public void NewSecret_IsWhsecAndTheBase64Of32RandomBytes()
    {
        var first = WebhookSecret.New();
        var second = WebhookSecret.New();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.True(WebhookSecret.TryDecode(first, out var key));
        Assert.Equal(Convert.FromBase64String(first["whsec_".Length..]), key);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void TryDecode_RefusesWhatIsNotAWhsecSecret(string secret) =>
        Assert.False(WebhookSecret.TryDecode(secret, out _));

    [Fact]
    public void Rotate_KeepsThePreviousSecretActiveForTheOverlapOnly()
    {
        var now = new DateTimeOffset(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
        var first = new SigningSecrets("whsec_AAAA");

        var rotated = SigningSecrets.Rotate(first, "whsec_BBBB", now, TimeSpan.FromHours(24));

        Assert.Equal(new SigningSecrets("whsec_BBBB", "whsec_AAAA", now.AddHours(24)), rotated);
        Assert.Equal(["whsec_BBBB", "whsec_AAAA"], rotated.ActiveAt(now.AddHours(24).AddTicks(-1)));
        Assert.Equal(["whsec_BBBB"], rotated.ActiveAt(now.AddHours(24)));
    }

    [Fact]
    public void Rotate_OfASubscriptionWithoutSecrets_GivesItsFirstSecretAlone() =>
        Assert.Equal(new SigningSecrets("whsec_BBBB"), SigningSecrets.Rotate(null, "whsec_BBBB", DateTimeOffset.UnixEpoch, TimeSpan.FromHours(24)));

    [Fact]
    public void ASubscriptionWrittenOut_DoesNotShowItsSecrets()
    {
        var secrets = new SigningSecrets(WebhookSecret.New(), WebhookSecret.New(), DateTimeOffset.UnixEpoch);
        var subscription = new Subscription
        {
            Id = "s", Topic = "t", Protocol = Protocol.Webhook, Endpoint = "https://example.com/", Status = SubscriptionStatus.Confirmed,
            CreatedAt = DateTimeOffset.UnixEpoch, SigningSecrets = secrets,
        };

        var text = subscription.ToString();

        Assert.DoesNotContain(secrets.Current, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets.Previous!, text, StringComparison.Ordinal);
        Assert.Contains("2 secret(s)", text, StringComparison.Ordinal);
    }
}
