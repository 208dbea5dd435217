using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Text;
using Notify.TestServers;

namespace Notify.Tests.TestServers;

/// <summary>maildev receives what an SMTP client sends, and the REST client reads it back decoded.</summary>
public sealed class MailDevServerTests(MailDevServer mail) : IClassFixture<MailDevServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_mail_comes_back_with_its_subject_addresses_decoded_text_and_headers()
    {
        var id = Guid.NewGuid().ToString("N");
        var unsubscribe = $"<https://notify.example.com/unsubscribe?token={new string('a', 80)}>, <mailto:unsubscribe@example.com?subject={id}>";
        using var message = new MimeMessage
        {
            Subject = $"Grüße {id}: a subject long enough to be split over several encoded words by the client",
        };
        message.From.Add(new MailboxAddress("Notify Sender", "sender@example.com"));
        message.To.Add(new MailboxAddress("Zoë Ünïcode", $"{id}@example.com"));
        message.To.Add(MailboxAddress.Parse("second@example.com"));
        // Long enough for quoted-printable soft line breaks; a literal '=' and CRLFs inside.
        var text = new TextPart(TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        text.SetText(Encoding.UTF8, $"Hello Zoë, a line long enough that quoted-printable has to break it softly, with 1+1=2 in it.\r\nSecond line {id}\r\n");
        message.Body = text;
        message.Headers.Add("List-Unsubscribe", unsubscribe);
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("X-Notify-Tag", "one");
        message.Headers.Add("X-Notify-Tag", "two");
        await SendAsync(message);

        var received = await mail.WaitForEmailAsync(m => m.To.Contains($"{id}@example.com"), Timeout, "the mail");

        Assert.Equal(message.Subject, received.Subject);
        Assert.Equal([$"{id}@example.com", "second@example.com"], received.To);
        Assert.Equal("sender@example.com", received.From);
        Assert.Equal($"Hello Zoë, a line long enough that quoted-printable has to break it softly, with 1+1=2 in it.\nSecond line {id}", received.Text);
        Assert.Null(received.Html);
        // The client folds this header over two lines; it comes back whole.
        Assert.Equal(unsubscribe, received.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Headers["list-unsubscribe-post"]);
        Assert.Equal("one\ntwo", received.Headers["X-Notify-Tag"]);
        Assert.StartsWith("text/plain", received.Headers["Content-Type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_with_text_and_html_alternatives_comes_back_with_both()
    {
        var id = Guid.NewGuid().ToString("N");
        using var message = Message($"{id}@example.com", $"Both {id}");
        message.Body = new BodyBuilder { TextBody = "Plain ünï text\r\nline two", HtmlBody = "<p>Html <b>ünï</b></p>" }.ToMessageBody();
        await SendAsync(message);

        var received = await mail.WaitForEmailAsync(m => m.Subject == $"Both {id}", Timeout, "the mail");

        Assert.Equal("Plain ünï text\nline two", received.Text);
        Assert.Equal("<p>Html <b>ünï</b></p>", received.Html);
    }

    [Fact]
    public async Task An_html_only_mail_has_empty_text_and_a_bcc_only_mail_no_to()
    {
        var id = Guid.NewGuid().ToString("N");
        using var html = Message($"{id}@example.com", $"Html {id}");
        html.Body = new TextPart(TextFormat.Html) { Text = "<p>only html</p>" };
        using var bcc = Message(null, $"Bcc {id}");
        bcc.Bcc.Add(MailboxAddress.Parse($"{id}-bcc@example.com"));
        bcc.Body = new TextPart(TextFormat.Plain) { Text = "hidden" };
        await SendAsync(html);
        await SendAsync(bcc);

        var received = await mail.WaitForEmailsAsync(m => m.Subject.EndsWith(id, StringComparison.Ordinal), 2, Timeout, "both mails");

        var htmlOnly = Assert.Single(received, m => m.Subject.StartsWith("Html", StringComparison.Ordinal));
        Assert.Equal("", htmlOnly.Text);
        Assert.Equal("<p>only html</p>", htmlOnly.Html);
        var bccOnly = Assert.Single(received, m => m.Subject.StartsWith("Bcc", StringComparison.Ordinal));
        Assert.Empty(bccOnly.To);
        Assert.Equal("hidden", bccOnly.Text);
    }

    [Fact]
    public async Task DeleteAll_forgets_every_mail_and_a_wait_that_times_out_says_what_it_waited_for()
    {
        using var message = Message("someone@example.com", "to be deleted");
        message.Body = new TextPart(TextFormat.Plain) { Text = "x" };
        await SendAsync(message);
        await mail.WaitForEmailAsync(m => m.Subject == "to be deleted", Timeout, "the mail");

        await mail.DeleteAllAsync();

        Assert.Empty(await mail.GetEmailsAsync());
        var error = await Assert.ThrowsAsync<TimeoutException>(
            () => mail.WaitForEmailAsync(m => m.Subject == "never sent", TimeSpan.FromMilliseconds(300), "the mail never sent"));
        Assert.Contains("the mail never sent", error.Message, StringComparison.Ordinal);
        Assert.Contains("0 mail(s) received", error.Message, StringComparison.Ordinal);
    }

    private static MimeMessage Message(string? to, string subject)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(MailboxAddress.Parse("sender@example.com"));
        if (to is not null)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        return message;
    }

    private async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", mail.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(quit: true);
    }
}
