using System.Text;
using Notify.Metadata.Model;
using Notify.Shared.Webhooks;
using Notify.Tests.Webhooks.Support;
using Receiver;

namespace Notify.Tests.Webhooks;

/// <summary>The receiver's C# verifier that docs/webhooks.md shows: it is the tested code, and it accepts what Notify sends.</summary>
public sealed class DocumentedVerifierTests
{
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly byte[] VectorBody = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void TheDocumentationShowsThisVerifier_CharacterForCharacter()
    {
        var root = Root();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Notify.Tests", "Webhooks", "DocumentedWebhookVerifier.cs")).ReplaceLineEndings("\n");
        var start = source.IndexOf("// <documented-verifier>\n", StringComparison.Ordinal) + "// <documented-verifier>\n".Length;
        var code = source[start..source.IndexOf("// </documented-verifier>", StringComparison.Ordinal)];

        var document = File.ReadAllText(Path.Combine(root, "docs", "webhooks.md")).ReplaceLineEndings("\n");

        Assert.Contains("```csharp\n" + code + "```", document, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AcceptsTheSpecificationsTestVector_AndRefusesWhatWasChangedOrIsTooOld()
    {
        Assert.True(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", VectorSignature, VectorTime.AddMinutes(4)));
        Assert.True(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,AAAA " + VectorSignature, VectorTime));

        Assert.False(WebhookVerifier.Verify(VectorSecret, [.. VectorBody, (byte)' '], "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", VectorSignature, VectorTime));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_other", "1614265330", VectorSignature, VectorTime));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", VectorSignature, VectorTime.AddMinutes(6)));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", VectorSignature, VectorTime.AddMinutes(-6)));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "not-a-number", VectorSignature, VectorTime));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v2," + VectorSignature[3..], VectorTime));
        Assert.False(WebhookVerifier.Verify(VectorSecret, VectorBody, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", null, VectorTime));
    }

    [Fact]
    public async Task Verify_AcceptsNotifysDelivery_WithEitherSecretDuringARotation()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create();
        var (current, previous) = (WebhookSecret.New(), WebhookSecret.New());
        var subscription = WebhookHarness.Subscription(server.Url()) with
        {
            SigningSecrets = new SigningSecrets(current, previous, harness.Clock.GetUtcNow().AddHours(1)),
        };

        await harness.Channel.DeliverAsync(WebhookHarness.Notification(), subscription, plan: null, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        var body = Encoding.UTF8.GetBytes(request.Body);
        foreach (var secret in new[] { current, previous })
        {
            Assert.True(WebhookVerifier.Verify(
                secret, body, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], harness.Clock.GetUtcNow()));
        }

        Assert.False(WebhookVerifier.Verify(
            WebhookSecret.New(), body, request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], harness.Clock.GetUtcNow()));
    }

    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Notify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Notify.sln not found above " + AppContext.BaseDirectory);
    }
}
