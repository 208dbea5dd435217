using System.Text;
using MimeKit;
using MimeKit.Text;
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

    public MimeMessage Notification(Notification notification, Subscription subscription, MailboxAddress from)
    {
        var unsubscribe = links.UnsubscribeUrl(subscription.Id);
        var body = new StringBuilder()
            .Append(notification.MessageFor(ProtocolKey))
            .Append("\n\n-- \n")
            .Append($"You receive this email because {subscription.Endpoint} is subscribed to the topic \"{notification.Topic}\".\n")
            .Append($"To unsubscribe, open: {unsubscribe}\n")
            .ToString();

        var mail = Create(from, subscription.Endpoint, notification.Subject ?? DefaultSubject(notification.Topic), body);
        mail.MessageId = $"{notification.MessageId}.{subscription.Id}@{from.Domain}";
        mail.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>");
        mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        mail.Headers.Add("List-Id", $"{notification.Topic} <{notification.Topic}.{from.Domain}>");
        mail.Headers.Add("X-Notify-Message-Id", notification.MessageId);
        mail.Headers.Add("X-Notify-Topic", notification.Topic);
        return mail;
    }

    public MimeMessage Confirmation(Subscription subscription, MailboxAddress from)
    {
        var confirm = links.ConfirmUrl(subscription.Id);
        var body = new StringBuilder()
            .Append($"Someone, most likely you, subscribed {subscription.Endpoint} to the topic \"{subscription.Topic}\".\n\n")
            .Append($"To confirm and start receiving its messages, open this link:\n{confirm}\n\n")
            .Append("If you did not ask for this, ignore this email: nothing is sent to you unless you confirm.\n")
            .ToString();

        var mail = Create(from, subscription.Endpoint, ConfirmationSubject(subscription.Topic), body);
        mail.MessageId = $"confirmation-{subscription.Id}@{from.Domain}";
        return mail;
    }

    /// <summary>
    /// 7bit when the body is plain ASCII in lines SMTP carries as they are (the confirmation, most
    /// notifications): the raw mail, and an <c>.eml</c> file, then show every link whole on its line, ready
    /// to copy. Anything else is quoted-printable, which keeps the text readable too; base64, which MimeKit
    /// may choose for UTF-8, would hide it all.
    /// </summary>
    internal static ContentEncoding TransferEncodingFor(string body)
    {
        const int MaxLineLength = 998; // RFC 5322 section 2.1.1, without the CRLF
        foreach (var line in body.Split("\r\n"))
        {
            if (line.Length > MaxLineLength || line.Any(c => c is not ('\t' or (>= ' ' and <= '~'))))
            {
                return ContentEncoding.QuotedPrintable;
            }
        }

        return ContentEncoding.SevenBit;
    }

    private static MimeMessage Create(MailboxAddress from, string to, string subject, string body)
    {
        // Mail lines end in CRLF (RFC 5322), whatever the publisher sent.
        body = body.ReplaceLineEndings("\r\n");
        var text = new TextPart(TextFormat.Plain) { ContentTransferEncoding = TransferEncodingFor(body) };
        text.SetText(Encoding.UTF8, body);

        var mail = new MimeMessage { Subject = subject, Body = text };
        mail.From.Add(from);
        mail.To.Add(MailboxAddress.Parse(to));

        // Automatic mail: out-of-office replies must not answer it (RFC 3834).
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        return mail;
    }
}
