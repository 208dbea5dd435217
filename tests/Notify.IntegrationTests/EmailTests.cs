using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;
using Notify.TestServers;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// Email subscribers end to end: real Notify processes send through a real SMTP server (maildev); the
/// tests read the mail back and follow its links as a person would.
/// </summary>
public abstract partial class EmailTests(Deployment deployment, MailDevServer mail, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NotifyService _notify = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _notify = await NotifyService.StartAsync(SmtpSettings(mail), deployment);
    }

    public async Task DisposeAsync()
    {
        await _notify.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    /// <summary>Email through maildev's SMTP port (no TLS on loopback) instead of the pickup directory.</summary>
    public static Dictionary<string, string?> SmtpSettings(MailDevServer mail) => new()
    {
        ["Notify:Email:PickupDirectory"] = null,
        ["Notify:Email:SmtpHost"] = "127.0.0.1",
        ["Notify:Email:SmtpPort"] = mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notify:Email:Security"] = "None",
    };

    [Fact]
    public async Task Subscriber_ConfirmsByEmail_ReceivesEachMessage_AndUnsubscribesInOneClick()
    {
        var address = $"alice-{Guid.NewGuid():N}@example.com";
        await _notify.Client.CreateTopicAsync("newsletter");
        var subscription = await _notify.Client.SubscribeAsync("newsletter", "email", address);
        var id = subscription.GetProperty("id").GetString()!;
        Assert.Equal("pending", subscription.GetProperty("status").GetString());

        // The confirmation email carries the confirm link; a browser following it gets a page.
        var confirmation = await mail.WaitForEmailAsync(m => m.To.Contains(address), Patience, "the confirmation email");
        Assert.Equal("Confirm your subscription to newsletter", confirmation.Subject);
        Assert.Equal("notify@example.com", confirmation.From);
        var confirmUrl = Assert.Single(Links(confirmation.Text), l => l.Contains("/confirm?token=", StringComparison.Ordinal));
        Assert.StartsWith(_notify.Process.BaseAddress.AbsoluteUri + $"v1/subscriptions/{id}/confirm?token=", confirmUrl, StringComparison.Ordinal);
        using (var browser = OpenApiContract.CreateClient())
        {
            browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
            using var page = await browser.GetAsync(confirmUrl);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Subscription confirmed", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var confirmed = await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}"), 200);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());

        // A message with a subject and an email body of its own; another without either.
        await _notify.Client.PublishAsync("newsletter", new
        {
            subject = "Issue 1",
            messages = new Dictionary<string, string> { ["default"] = "for everyone else", ["email"] = "Hello by email, line one.\nLine two." },
        });
        var first = await mail.WaitForEmailAsync(m => m.To.Contains(address) && m.Subject == "Issue 1", Patience, "the first notification");
        Assert.StartsWith("Hello by email, line one.\nLine two.", first.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("for everyone else", first.Text, StringComparison.Ordinal);
        var unsubscribeUrl = Assert.Single(Links(first.Text), l => l.Contains("/unsubscribe?token=", StringComparison.Ordinal));
        Assert.Equal($"<{unsubscribeUrl}>", first.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", first.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("auto-generated", first.Headers["Auto-Submitted"]);

        await _notify.Client.PublishAsync("newsletter", new { message = "no subject here" });
        var second = await mail.WaitForEmailAsync(m => m.To.Contains(address) && m.Text.StartsWith("no subject here", StringComparison.Ordinal), Patience, "the second notification");
        Assert.Equal("Notification from topic newsletter", second.Subject);

        // RFC 8058 one-click: the mail client POSTs this exact form to the List-Unsubscribe URL.
        using (var client = OpenApiContract.CreateClient())
        {
            using var oneClick = await client.PostAsync(unsubscribeUrl, new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        await ProblemAssert.IsProblemAsync(await _notify.Client.Http.GetAsync($"v1/subscriptions/{id}"), 404, "does not exist");

        // After unsubscribing, a message reaches a webhook subscriber of the topic but no more email.
        await _notify.SubscribeConfirmedAsync(_receiver, "newsletter", "hook");
        var after = (await _notify.Client.PublishAsync("newsletter", new
        {
            messages = new Dictionary<string, string> { ["default"] = "after unsubscribing", ["webhook"] = "{\"kind\":\"for machines\"}" },
        })).GetProperty("messageId").GetString()!;
        var copy = (await _receiver.WaitUntilAsync(r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == after), Patience, "the webhook copy"))
            .Single(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == after);
        Assert.Equal("{\"kind\":\"for machines\"}", copy.Json.GetProperty("message").GetString());
        var emails = (await mail.GetEmailsAsync()).Where(m => m.To.Contains(address)).ToList();
        output.WriteLine($"emails to the subscriber: {emails.Count} ({string.Join(", ", emails.Select(e => e.Subject))})");
        Assert.Equal(3, emails.Count);
    }

    /// <summary>The http(s) links in a plain-text body, one per line or word.</summary>
    internal static IReadOnlyList<string> Links(string text) => UrlPattern().Matches(text).Select(m => m.Value).ToList();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex UrlPattern();
}

public sealed class EmbeddedEmailTests(MailDevServer mail, ITestOutputHelper output)
    : EmailTests(Deployment.Embedded, mail, output), IClassFixture<MailDevServer>;

public sealed class AwsEmailTests(MailDevServer mail, ITestOutputHelper output)
    : EmailTests(Deployment.Aws, mail, output), IClassFixture<MailDevServer>;
