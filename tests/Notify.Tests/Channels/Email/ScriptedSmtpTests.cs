using Notify.Sender.Channels;
using Notify.TestServers;

namespace Notify.Tests.Channels.Email;

/// <summary>
/// The email channel against a scripted SMTP server on a real socket, for what maildev cannot do: count
/// connections, drop them, and refuse a recipient, the sender or a message with a chosen reply.
/// </summary>
public sealed class ScriptedSmtpTests : IAsyncDisposable
{
    private readonly ScriptedSmtpServer _smtp;
    private readonly EmailChannelHarness _email;

    public ScriptedSmtpTests()
    {
        _smtp = ScriptedSmtpServer.Start();
        _email = new EmailChannelHarness(_smtp.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _email.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task ManyEmails_OneAfterAnother_GoOverOneConnection()
    {
        for (var i = 0; i < 20; i++)
        {
            var result = await _email.DeliverAsync($"reader-{i}@example.com");
            Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), result.WithoutHistory());
        }

        Assert.Equal(20, _smtp.Delivered.Count);
        Assert.Equal(1, _smtp.Connections);
    }

    [Fact]
    public async Task ConcurrentEmails_UseNoMoreConnectionsThanMaxConnections()
    {
        await using var email = new EmailChannelHarness(_smtp.Port, ("Notify:Email:MaxConnections", "2"));

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => email.DeliverAsync($"reader-{i}@example.com")));

        Assert.All(results, r => Assert.True(r.Delivered));
        Assert.Equal(40, _smtp.Delivered.Count);
        Assert.InRange(_smtp.Connections, 1, 2);
    }

    [Fact]
    public async Task AConnectionTheServerDropped_IsReplaced_WithoutCountingAFailedAttempt()
    {
        Assert.True((await _email.DeliverAsync("first@example.com")).Delivered);

        _smtp.DropConnections();
        var result = await _email.DeliverAsync("second@example.com");

        Assert.Equal(DeliveryResult.Success(1, "SMTP 250"), result.WithoutHistory());
        Assert.Equal(["first@example.com", "second@example.com"], _smtp.Delivered);
        Assert.Equal(2, _smtp.Connections);
        Assert.Contains(_email.Logs.GetSnapshot(), e => e.Id.Name == "SmtpReconnecting");
    }

    [Theory]
    [InlineData("550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown", "smtp:550")]
    [InlineData("551 5.1.6 User not local", "smtp:551")]
    [InlineData("553 5.1.3 Mailbox name not allowed", "smtp:553")]
    public async Task ARecipientRefusedWithA5xx_IsRefusedForGood_OnTheSubscription_AndNotRetried(string reply, string code)
    {
        _smtp.RcptTo = to => to == "gone@example.com" ? reply : null;

        var result = await _email.DeliverAsync("gone@example.com");

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(code, result.Code);
        var refusal = Assert.IsType<DeliveryRefusal>(result.Refusal);
        Assert.Equal(code, refusal.Code);
        Assert.Contains("5.1.", refusal.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_email.Logs.GetSnapshot(), e => e.Id.Name == "SmtpSettingsRefused");

        // The refusal was one command: the connection goes on serving other recipients.
        Assert.True((await _email.DeliverAsync("alive@example.com")).Delivered);
        Assert.Equal(1, _smtp.Connections);
    }

    [Fact]
    public async Task ARecipientRefusedWithA4xx_IsTransient_AndRetried()
    {
        var refusals = 0;
        _smtp.RcptTo = _ => Interlocked.Increment(ref refusals) <= 2 ? "450 4.2.0 Mailbox busy, try later" : null;

        var result = await _email.DeliverAsync("busy@example.com");

        Assert.Equal(DeliveryResult.Success(3, "SMTP 250"), result.WithoutHistory());
        Assert.Equal(["busy@example.com"], _smtp.Delivered);
    }

    [Fact]
    public async Task ARefusedSender_IsThisServersSettings_LoggedNamingFrom_RetriedAndNeverTheRecipients()
    {
        _smtp.MailFrom = _ => "553 5.7.1 <notify@example.com>: Sender address rejected: not owned by user";

        var result = await _email.DeliverAsync("reader@example.com");

        Assert.False(result.Delivered);
        Assert.Equal(EmailChannelHarness.MaxAttempts, result.Attempts);
        Assert.Equal("smtp:553", result.Code);
        Assert.Null(result.Refusal);
        _email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:From");
    }

    [Fact]
    public async Task AMessageRefusedAsAWhole_IsThisServersSettings_NotTheRecipients()
    {
        _smtp.EndOfData = () => "554 5.7.1 Message rejected: DMARC policy of the sender's domain";

        var result = await _email.DeliverAsync("reader@example.com");

        Assert.False(result.Delivered);
        Assert.Equal(EmailChannelHarness.MaxAttempts, result.Attempts);
        Assert.Equal("smtp:554", result.Code);
        Assert.Null(result.Refusal);
        _email.AssertSettingsRefused(EmailChannelHarness.MaxAttempts, "Notify:Email:From");
        Assert.Empty(_smtp.Delivered);
    }

    [Fact]
    public async Task ASenderRefusalThatPasses_IsDeliveredOnTheNextAttempt()
    {
        var refusals = 0;
        _smtp.MailFrom = _ => Interlocked.Increment(ref refusals) == 1 ? "530 5.7.0 Must issue a STARTTLS command first" : null;

        var result = await _email.DeliverAsync("reader@example.com");

        Assert.Equal(DeliveryResult.Success(2, "SMTP 250"), result.WithoutHistory());
        _email.AssertSettingsRefused(1, "Notify:Email:Security");
    }

    [Fact]
    public async Task AServerThatIsDown_IsTransient()
    {
        await using var email = new EmailChannelHarness(FreePort.Next());

        var result = await email.DeliverAsync("reader@example.com");

        Assert.False(result.Delivered);
        Assert.Equal(EmailChannelHarness.MaxAttempts, result.Attempts);
        Assert.Null(result.Refusal);
        Assert.Contains("ConnectionRefused", result.LastStatus, StringComparison.Ordinal);
    }
}
