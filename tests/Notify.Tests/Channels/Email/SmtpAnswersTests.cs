using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Email;
using Notify.Sender.Channels.Providers;

namespace Notify.Tests.Channels.Email;

/// <summary>How each of MailKit's failures counts: the recipient's for good, this server's settings, or transient.</summary>
public sealed class SmtpAnswersTests
{
    private static readonly MailboxAddress Mailbox = MailboxAddress.Parse("gone@example.com");

    [Theory]
    [InlineData(SmtpStatusCode.MailboxUnavailable, "smtp:550")]
    [InlineData(SmtpStatusCode.UserNotLocalTryAlternatePath, "smtp:551")]
    [InlineData(SmtpStatusCode.MailboxNameNotAllowed, "smtp:553")]
    public void A5xxToRcptTo_IsAPermanentRefusalOfTheRecipient(SmtpStatusCode status, string code)
    {
        var attempt = SmtpAnswers.Classify(
            new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, status, Mailbox, "5.1.1 no such user\nsecond line"), out var settings);

        Assert.Equal(ProviderOutcome.Permanent, attempt.Outcome);
        Assert.Equal(new DeliveryRefusal(code, "5.1.1 no such user"), attempt.Refusal);
        Assert.Null(settings);
    }

    [Theory]
    [InlineData(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxBusy)]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.InsufficientStorage)]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.ErrorInProcessing)]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.ServiceNotAvailable)]
    public void A4xx_IsTransient_AndNobodysSettings(SmtpErrorCode error, SmtpStatusCode status)
    {
        var attempt = SmtpAnswers.Classify(new SmtpCommandException(error, status, "try later"), out var settings);

        Assert.Equal(ProviderAttempt.Transient($"smtp:{(int)status}"), attempt);
        Assert.Null(settings);
    }

    [Theory]
    [InlineData(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxNameNotAllowed, "Notify:Email:From")]
    [InlineData(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "Notify:Email:From")]
    [InlineData(SmtpErrorCode.SenderNotAccepted, (SmtpStatusCode)530, "Notify:Email:Security")]
    [InlineData(SmtpErrorCode.SenderNotAccepted, (SmtpStatusCode)530, "Notify:Email:Username")]
    [InlineData(SmtpErrorCode.UnexpectedStatusCode, SmtpStatusCode.CommandNotImplemented, "Notify:Email:SmtpHost")]
    public void AnyOther5xx_IsThisServersSettings_RetriedLikeATransientFailure(SmtpErrorCode error, SmtpStatusCode status, string setting)
    {
        var attempt = SmtpAnswers.Classify(new SmtpCommandException(error, status, "refused"), out var settings);

        Assert.Equal(ProviderAttempt.Transient($"smtp:{(int)status}"), attempt);
        Assert.Contains(setting, settings, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedLogin_IsTheCredentials()
    {
        var attempt = SmtpAnswers.Classify(new AuthenticationException("535: 5.7.8 Authentication credentials invalid"), out var settings);

        Assert.Equal(ProviderAttempt.Transient("smtp:535"), attempt);
        Assert.Equal("Notify:Email:Username and Notify:Email:Password", settings);
    }

    [Fact]
    public void ALostConnection_IsTransient_AndSaysWhy()
    {
        var attempt = SmtpAnswers.Classify(new SocketException((int)SocketError.ConnectionRefused), out var settings);

        Assert.Equal(ProviderAttempt.Transient("connection failed (ConnectionRefused)"), attempt);
        Assert.Null(settings);
        Assert.True(SmtpAnswers.IsDroppedConnection(new SmtpProtocolException("The SMTP server has unexpectedly disconnected.")));
        Assert.True(SmtpAnswers.IsDroppedConnection(new IOException("broken pipe")));
    }
}
