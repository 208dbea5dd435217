using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notify.Sender.Channels.Providers;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// What an SMTP failure means for a delivery (RFC 5321 section 4.2.1: 4xx "not now", 5xx "never"), by
/// who is at fault. A 5xx answer to <c>RCPT TO</c> is the recipient refused for good: recorded on the
/// subscription, not retried. Any other 5xx, a failed login, or a TLS failure is this server's
/// settings (the sender address, the credentials, the encryption): never the recipient's fault, so it
/// is retried like a transient failure while someone fixes the setting it names. 4xx answers and lost
/// connections are transient.
/// </summary>
internal static class SmtpAnswers
{
    public const string Credentials = "Notify:Email:Username and Notify:Email:Password";
    public const string Security = "Notify:Email:Security (and the server's certificate)";
    public const string Sender = "Notify:Email:From";
    public const string Server = "Notify:Email:SmtpHost, Notify:Email:SmtpPort and Notify:Email:Security";

    /// <summary>How an attempt that failed with <paramref name="exception"/> ended.</summary>
    /// <param name="exception">What MailKit threw (not a cancellation).</param>
    /// <param name="settings">The settings to fix when the failure is this server's configuration; null otherwise.</param>
    public static ProviderAttempt Classify(Exception exception, out string? settings)
    {
        settings = null;
        switch (exception)
        {
            case SmtpCommandException command:
                var code = (int)command.StatusCode;
                var status = $"smtp:{code}";
                if (code is < 500 or >= 600)
                {
                    return ProviderAttempt.Transient(status);
                }

                if (command.ErrorCode == SmtpErrorCode.RecipientNotAccepted)
                {
                    return ProviderAttempt.Permanent(status, new DeliveryRefusal(status, FirstLine(command.Message)));
                }

                settings = (command.ErrorCode, code) switch
                {
                    // 530: "authentication required" or "must issue STARTTLS first".
                    (_, 530) => $"{Credentials}, {Security}",
                    (SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted, _) => Sender,
                    _ => Server,
                };
                return ProviderAttempt.Transient(status);

            case ServiceNotAuthenticatedException:
                // 530 to MAIL FROM: the server wants a login (or TLS first) that this server did not give.
                settings = $"{Credentials}, {Security}";
                return ProviderAttempt.Transient("smtp:530");

            case AuthenticationException:
                settings = Credentials;
                return ProviderAttempt.Transient("smtp:535");

            case SslHandshakeException:
                settings = Security;
                return ProviderAttempt.Transient("smtp:tls-failed");

            case NotSupportedException:
                // MailKit's "the server does not support STARTTLS" or "does not support authentication".
                settings = $"{Security}, {Credentials}";
                return ProviderAttempt.Transient("smtp:not-supported");

            case SocketException socket:
                return ProviderAttempt.Transient($"connection failed ({socket.SocketErrorCode})");

            default:
                // IOException, SmtpProtocolException, ServiceNotConnectedException: the connection broke.
                return ProviderAttempt.Transient($"connection failed ({exception.GetType().Name})");
        }
    }

    /// <summary>True when a connection that worked before was found closed: worth one fresh connection at once.</summary>
    public static bool IsDroppedConnection(Exception exception) =>
        exception is ServiceNotConnectedException or SmtpProtocolException or IOException or SocketException;

    /// <summary>The exceptions <see cref="Classify"/> knows; anything else is a bug, not an SMTP answer.</summary>
    public static bool IsSmtpFailure(Exception exception) =>
        exception is SmtpCommandException or ServiceNotAuthenticatedException or AuthenticationException or SslHandshakeException or NotSupportedException
            || IsDroppedConnection(exception);

    // The server's reply text: it may name the recipient's mailbox, never the message.
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
