using Notify.Sender.Channels;
using Notify.TestServers;

namespace Notify.Tests.Channels.Email;

/// <summary>The email channel against maildev on a plain loopback port, as a development setup runs it.</summary>
public sealed class MailDevSmtpTests(MailDevServer mail) : IClassFixture<MailDevServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ANotification_IsDelivered_WithItsListHeaders()
    {
        await using var email = new EmailChannelHarness(mail.SmtpPort);
        var to = $"{Guid.NewGuid():N}@example.com";

        var result = await email.DeliverAsync(to, "Disk 90% full");

        Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), result.WithoutHistory());
        var received = await mail.WaitForEmailAsync(m => m.To.Contains(to), Patience, "the notification");
        Assert.Equal("notify@example.com", received.From);
        Assert.Equal("Notification from topic orders", received.Subject);
        Assert.StartsWith("Disk 90% full\n", received.Text, StringComparison.Ordinal);
        Assert.StartsWith("<http://localhost:5080/v1/subscriptions/", received.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("auto-generated", received.Headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task AfterTheServerRestarts_TheNextEmailGoesOverANewConnection_InItsFirstAttempt()
    {
        await using var email = new EmailChannelHarness(mail.SmtpPort);
        var before = $"{Guid.NewGuid():N}@example.com";
        var after = $"{Guid.NewGuid():N}@example.com";
        Assert.True((await email.DeliverAsync(before)).Delivered);

        // kill -9 and start again: the pooled connection's socket is dead, as after a server restart.
        mail.Kill();
        await mail.StartAsync();
        var result = await email.DeliverAsync(after);

        Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), result.WithoutHistory());
        await mail.WaitForEmailAsync(m => m.To.Contains(after), Patience, "the email sent after the restart");
        Assert.Contains(email.Logs.GetSnapshot(), e => e.Id.Name == "SmtpReconnecting");
    }

    [Fact]
    public async Task StartTls_WhenTheServerDoesNotOfferIt_IsRefused_AndLoggedNamingSecurity()
    {
        // maildev offers no STARTTLS: credentials would cross in clear, so nothing is sent.
        await using var email = new EmailChannelHarness(mail.SmtpPort, ("Notify:Email:Security", "StartTls"));
        var to = $"{Guid.NewGuid():N}@example.com";

        var result = await email.DeliverAsync(to);

        Assert.False(result.Delivered);
        Assert.Equal(EmailChannelHarness.MaxAttempts, result.Attempts);
        Assert.Null(result.Refusal);
        email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:Security");
        Assert.DoesNotContain(await mail.GetEmailsAsync(), m => m.To.Contains(to));
    }
}
