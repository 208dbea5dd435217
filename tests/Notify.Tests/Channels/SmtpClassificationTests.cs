using System.Net.Mail;
using System.Net.Sockets;
using Notify.Sender.Channels.Email;
using Notify.Sender.Channels.Providers;

namespace Notify.Tests.Channels;

public sealed class SmtpClassificationTests
{
    [Theory]
    [InlineData(SmtpStatusCode.MailboxUnavailable, "smtp:550")]
    [InlineData(SmtpStatusCode.MailboxNameNotAllowed, "smtp:553")]
    [InlineData(SmtpStatusCode.TransactionFailed, "smtp:554")]
    public void FiveHundreds_AreAPermanentRefusalOfTheRecipient(SmtpStatusCode status, string code)
    {
        var attempt = SmtpMailer.Classify(new SmtpException(status, "Mailbox unavailable: no such user\nsecond line"));

        Assert.Equal(ProviderOutcome.Permanent, attempt.Outcome);
        Assert.Equal(code, attempt.Refusal!.Code);
        Assert.Equal("Mailbox unavailable: no such user", attempt.Refusal.Detail);
        Assert.False(attempt.Refusal.RecipientOptedOut);
    }

    [Theory]
    [InlineData(SmtpStatusCode.ServiceNotAvailable)]
    [InlineData(SmtpStatusCode.MailboxBusy)]
    [InlineData(SmtpStatusCode.LocalErrorInProcessing)]
    [InlineData(SmtpStatusCode.InsufficientStorage)]
    public void FourHundreds_AreTransient(SmtpStatusCode status)
    {
        var attempt = SmtpMailer.Classify(new SmtpException(status));

        Assert.Equal(ProviderOutcome.Transient, attempt.Outcome);
        Assert.Null(attempt.Refusal);
    }

    [Fact]
    public void ALostConnection_IsTransient_AndSaysWhy()
    {
        var attempt = SmtpMailer.Classify(new SmtpException("Failure sending mail.", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(ProviderOutcome.Transient, attempt.Outcome);
        Assert.Contains("ConnectionRefused", attempt.Status, StringComparison.Ordinal);
    }
}
