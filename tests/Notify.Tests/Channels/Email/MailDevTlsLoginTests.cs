using Notify.Sender.Channels;
using Notify.TestServers;

namespace Notify.Tests.Channels.Email;

/// <summary>
/// The email channel against maildev requiring a login over implicit TLS (SMTPS, as on port 465), with a
/// self-signed certificate that only the test-only fingerprint setting excuses.
/// </summary>
public sealed class MailDevTlsLoginTests : IAsyncLifetime, IDisposable
{
    private const string User = "notify";
    private const string Password = "s3cret-pass";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly SelfSignedCertificate _certificate = new();
    private readonly MailDevServer _mail;

    public MailDevTlsLoginTests()
    {
        _mail = new MailDevServer
        {
            IncomingUser = User,
            IncomingPassword = Password,
            ImplicitTls = (_certificate.CertificateFile, _certificate.KeyFile),
        };
    }

    public Task InitializeAsync() => _mail.InitializeAsync();

    public Task DisposeAsync() => _mail.DisposeAsync();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public async Task WithImplicitTlsAndTheRightLogin_IsDelivered()
    {
        await using var email = Harness(("Notify:Email:Username", User), ("Notify:Email:Password", Password));
        var to = $"{Guid.NewGuid():N}@example.com";

        Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), (await email.DeliverAsync(to)).WithoutHistory());
        Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), (await email.DeliverAsync(to)).WithoutHistory());

        Assert.Equal(2, (await _mail.WaitForEmailsAsync(m => m.To.Contains(to), 2, Patience, "both emails")).Count);
        Assert.Contains(email.Logs.GetSnapshot(), e => e.Id.Name == "SmtpTestOnlyCertificateTrusted");
    }

    [Fact]
    public async Task AWrongPassword_IsThisServersCredentials_LoggedNamingThem_RetriedAndNeverTheRecipients()
    {
        await using var email = Harness(("Notify:Email:Username", User), ("Notify:Email:Password", "wrong-password"));

        var result = await email.DeliverAsync($"{Guid.NewGuid():N}@example.com");

        Assert.False(result.Delivered);
        Assert.Equal(EmailChannelHarness.MaxAttempts, result.Attempts);
        Assert.Equal("smtp:535", result.Code);
        Assert.Null(result.Refusal);
        email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:Password", secret: "wrong-password");
    }

    [Fact]
    public async Task NoLoginWhereTheServerRequiresOne_Is530_LoggedNamingTheCredentials()
    {
        await using var email = Harness();

        var result = await email.DeliverAsync($"{Guid.NewGuid():N}@example.com");

        Assert.False(result.Delivered);
        Assert.Equal("smtp:530", result.Code);
        Assert.Null(result.Refusal);
        email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:Username");
    }

    [Fact]
    public async Task ASelfSignedCertificate_IsRefusedUnlessItsFingerprintIsTrusted()
    {
        // Certificate validation is on by default: without the test-only fingerprint nothing is sent.
        await using var email = new EmailChannelHarness(_mail.SmtpPort,
            ("Notify:Email:Security", "SslOnConnect"), ("Notify:Email:Username", User), ("Notify:Email:Password", Password));

        var result = await email.DeliverAsync($"{Guid.NewGuid():N}@example.com");

        Assert.False(result.Delivered);
        Assert.Equal("smtp:tls-failed", result.Code);
        Assert.Null(result.Refusal);
        email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:Security", secret: Password);
    }

    private EmailChannelHarness Harness(params (string Key, string? Value)[] settings) => new(_mail.SmtpPort,
    [
        ("Notify:Email:Security", "SslOnConnect"),
        ("Notify:Email:TestOnlyTrustedCertificateSha256", _certificate.Sha256),
        .. settings,
    ]);
}
