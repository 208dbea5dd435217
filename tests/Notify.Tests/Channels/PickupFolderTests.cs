using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Notify.Metadata.Model;
using Notify.Sender.Channels.Email;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Configuration;
using Notify.Shared.Email;
using Notify.Shared.Links;
using Notify.Shared.Messages;
using Notify.Tests.Support;

namespace Notify.Tests.Channels;

/// <summary>The <c>.eml</c> files of <c>Notify:Email:PickupDirectory</c>, read as a person reads them.</summary>
public sealed class PickupFolderTests : IDisposable
{
    private static readonly MailboxAddress From = MailboxAddress.Parse("notify@localhost");

    private readonly TempDirectory _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 59, 59, 998, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly LinkTokens _tokens = TestLinkTokens.Create();
    private readonly EmailComposer _composer;
    private readonly SmtpMailer _mailer;

    public PickupFolderTests()
    {
        _composer = new EmailComposer(new PublicLinks(Options.Create(new NotifyOptions { PublicBaseUrl = new Uri("http://localhost:5080") }), _tokens, _services));
        _mailer = new SmtpMailer(Options.Create(new EmailOptions { PickupDirectory = _folder.Path, From = From.Address }), new PickupFolder(_clock), NullLogger<SmtpMailer>.Instance);
    }

    public void Dispose()
    {
        _mailer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Confirmation_InThePickupFolder_HasItsConfirmLinkWholeOnALineOfItsOwn()
    {
        var subscription = Subscription("01JCONFIRM", "dev@example.com");
        using var mail = _composer.Confirmation(subscription, From);

        await SendAsync(mail);

        var lines = await File.ReadAllLinesAsync(Assert.Single(Directory.GetFiles(_folder.Path)));
        Assert.Contains("Content-Transfer-Encoding: 7bit", lines);
        Assert.Contains($"http://localhost:5080/v1/subscriptions/01JCONFIRM/confirm?token={_tokens.Derive(LinkPurpose.Confirm, subscription.Id)}", lines);
    }

    [Fact]
    public async Task Notification_WithAsciiText_HasItsUnsubscribeLinkWholeToo()
    {
        var subscription = Subscription("01JNOTIFY", "dev@example.com");
        using var mail = _composer.Notification(Notification("m-1", "order 42 shipped"), subscription, From);

        await SendAsync(mail);

        var lines = await File.ReadAllLinesAsync(Assert.Single(Directory.GetFiles(_folder.Path)));
        Assert.Contains("order 42 shipped", lines);
        Assert.Contains(
            $"To unsubscribe, open: http://localhost:5080/v1/subscriptions/01JNOTIFY/unsubscribe?token={_tokens.Derive(LinkPurpose.Unsubscribe, subscription.Id)}", lines);
    }

    [Fact]
    public async Task Notification_InThePickupFolder_CarriesItsListHeadersAndMessageId_InCrlfLines()
    {
        var subscription = Subscription("01JHEADERS", "dev@example.com");
        using var mail = _composer.Notification(Notification("m-7", "Zoë's order\nshipped"), subscription, From);

        await SendAsync(mail);

        var file = Assert.Single(Directory.GetFiles(_folder.Path));
        var text = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("\n", text.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var lines = text.Split("\r\n");
        Assert.Contains("Content-Transfer-Encoding: quoted-printable", lines);
        var headers = (await MimeMessage.LoadAsync(file)).Headers;
        Assert.Equal($"<http://localhost:5080/v1/subscriptions/01JHEADERS/unsubscribe?token={_tokens.Derive(LinkPurpose.Unsubscribe, subscription.Id)}>", headers["List-Unsubscribe"]?.Trim());
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]);
        Assert.Equal("orders <orders.localhost>", headers["List-Id"]);
        Assert.Equal("<m-7.01JHEADERS@localhost>", headers["Message-ID"]);
        Assert.Equal("auto-generated", headers["Auto-Submitted"]);
        Assert.Contains("Zo=C3=AB's order", lines);
    }

    [Theory]
    [InlineData("plain ASCII\nin two lines", "SevenBit")]
    [InlineData("Zoë's order", "QuotedPrintable")]
    [InlineData("a control character \u0007", "QuotedPrintable")]
    public void TransferEncoding_IsSevenBitOnlyForPlainAscii(string body, string expected)
    {
        Assert.Equal(Enum.Parse<ContentEncoding>(expected), EmailComposer.TransferEncodingFor(body.ReplaceLineEndings("\r\n")));
    }

    [Fact]
    public void TransferEncoding_ForALineLongerThanSmtpCarries_IsQuotedPrintable()
    {
        Assert.Equal(ContentEncoding.SevenBit, EmailComposer.TransferEncodingFor(new string('a', 998)));
        Assert.Equal(ContentEncoding.QuotedPrintable, EmailComposer.TransferEncodingFor(new string('a', 999)));
    }

    [Fact]
    public async Task Files_SortByNameInTheOrderTheyWereSent()
    {
        // Twelve emails: several in one millisecond, the clock crossing a second, a minute and an hour,
        // and a sequence past 9 (a name that sorted by digits as text would put 10 before 9).
        var sent = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var id = $"m-{11 - i:D2}";
            using var mail = _composer.Notification(Notification(id, "hello"), Subscription("01JORDER", "dev@example.com"), From);
            await SendAsync(mail);
            sent.Add(id);
            if (i % 3 == 2)
            {
                _clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        var names = Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(12, names.Count);
        // {time}-{sequence}-{message id}.{subscription id}.eml
        Assert.Equal(sent, names.Select(n => n!.Split('-', 3)[2].Split('.')[0]));
        Assert.StartsWith("20261202T095959.998Z-000001-m-11.", names[0], StringComparison.Ordinal);
        Assert.StartsWith("20261202T100000.001Z-000012-m-00.", names[^1], StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Path.Combine(_folder.Path, ".writing")));
    }

    private async Task SendAsync(MimeMessage mail)
    {
        var attempt = await _mailer.SendAsync(mail, CancellationToken.None);
        Assert.Equal((ProviderOutcome.Accepted, "written to the pickup directory"), (attempt.Outcome, attempt.Status));
    }

    private static Subscription Subscription(string id, string endpoint) => new()
    {
        Id = id,
        Topic = "orders",
        Protocol = Protocol.Email,
        Endpoint = endpoint,
        Status = SubscriptionStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static Notification Notification(string messageId, string message) => new()
    {
        MessageId = messageId,
        Topic = "orders",
        Message = message,
        Timestamp = DateTimeOffset.UnixEpoch,
    };
}
