using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Notify.Metadata.Model;
using Notify.Shared.Links;
using Notify.Shared.Messages;

namespace Notify.Sender.Channels.Email;

/// <summary>
/// Writes the two emails Notify sends: the confirmation request of a new email subscription, and a
/// notification. Plain text (what every client shows, and what spam filters trust); every notification
/// carries its unsubscribe link in the body and in the RFC 2369 / RFC 8058 headers, so mail clients
/// offer a one-click "unsubscribe" button.
/// </summary>
internal sealed class EmailComposer(PublicLinks links)
{
    /// <summary>The protocol key of email bodies in a publish's <c>messages</c>.</summary>
    public const string ProtocolKey = "email";

    public static string DefaultSubject(string topic) => $"Notification from topic {topic}";

    public static string ConfirmationSubject(string topic) => $"Confirm your subscription to {topic}";

    public MailMessage Notification(Notification notification, Subscription subscription, MailAddress from)
    {
        var unsubscribe = links.UnsubscribeUrl(subscription.Id, subscription.UnsubscribeToken).AbsoluteUri;
        var body = new StringBuilder()
            .Append(notification.MessageFor(ProtocolKey))
            .Append("\n\n-- \n")
            .Append($"You receive this email because {subscription.Endpoint} is subscribed to the topic \"{notification.Topic}\".\n")
            .Append($"To unsubscribe, open: {unsubscribe}\n")
            .ToString();

        var mail = Create(from, subscription.Endpoint, notification.Subject ?? DefaultSubject(notification.Topic), body);
        mail.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        mail.Headers.Add("List-Id", $"{notification.Topic} <{notification.Topic}.{from.Host}>");
        mail.Headers.Add("Message-ID", $"<{notification.MessageId}.{subscription.Id}@{from.Host}>");
        mail.Headers.Add("X-Notify-Message-Id", notification.MessageId);
        mail.Headers.Add("X-Notify-Topic", notification.Topic);
        return mail;
    }

    public MailMessage Confirmation(Subscription subscription, MailAddress from)
    {
        var confirm = links.ConfirmUrl(subscription.Id, subscription.ConfirmToken).AbsoluteUri;
        var body = new StringBuilder()
            .Append($"Someone, most likely you, subscribed {subscription.Endpoint} to the topic \"{subscription.Topic}\".\n\n")
            .Append($"To confirm and start receiving its messages, open this link:\n{confirm}\n\n")
            .Append("If you did not ask for this, ignore this email: nothing is sent to you unless you confirm.\n")
            .ToString();

        var mail = Create(from, subscription.Endpoint, ConfirmationSubject(subscription.Topic), body);
        mail.Headers.Add("Message-ID", $"<confirmation-{subscription.Id}@{from.Host}>");
        return mail;
    }

    /// <summary>
    /// 7bit when the body is plain ASCII in lines SMTP carries as they are (the confirmation, most
    /// notifications): the raw mail, and an <c>.eml</c> file, then show every link whole on its line, ready
    /// to copy. Anything else is quoted-printable, which keeps the text readable too; base64, the default
    /// for UTF-8, would hide it all.
    /// </summary>
    internal static TransferEncoding TransferEncodingFor(string body)
    {
        const int MaxLineLength = 998; // RFC 5322 section 2.1.1, without the CRLF
        foreach (var line in body.Split("\r\n"))
        {
            if (line.Length > MaxLineLength || line.Any(c => c is not ('\t' or (>= ' ' and <= '~'))))
            {
                return TransferEncoding.QuotedPrintable;
            }
        }

        return TransferEncoding.SevenBit;
    }

    private static MailMessage Create(MailAddress from, string to, string subject, string body)
    {
        // Mail lines end in CRLF (RFC 5322), whatever the publisher sent.
        body = body.ReplaceLineEndings("\r\n");
        var mail = new MailMessage(from, new MailAddress(to))
        {
            Subject = subject,
            SubjectEncoding = Encoding.UTF8,
            Body = body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncodingFor(body),
            IsBodyHtml = false,
        };

        // Automatic mail: out-of-office replies must not answer it (RFC 3834).
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        return mail;
    }
}
