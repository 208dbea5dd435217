using System.Net.Http.Json;
using System.Text;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// Whatever characters a publish is made of, at the size limit it is accepted and reaches the webhook
/// exactly as sent; one byte more is refused with 413; text that is not text is a 4xx, never a 500.
/// </summary>
public abstract class MessageContentTests(NotifyService notify) : IAsyncLifetime
{
    private const int MessageMaxBytes = 256 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    /// <summary>
    /// The characters that JSON writes as six-byte escapes by default (<c>&lt;</c>, <c>"</c>), that SQS
    /// refuses raw (<c>\u0001</c>), that escape themselves, and that UTF-16 splits in two.
    /// </summary>
    public static TheoryData<string, string> Characters => new()
    {
        { "angle", "<" },
        { "quote", "\"" },
        { "control", "\u0001" },
        { "backslash", "\\" },
        { "emoji", "😀" },
    };

    [Theory]
    [MemberData(nameof(Characters))]
    public async Task Publish_AtTheLimit_IsDeliveredExactly_AndOneByteMoreIs413(string name, string unit)
    {
        var topic = $"content-{name}";
        await notify.SubscribeConfirmedAsync(_receiver, topic, topic);
        // Subjects and attribute names may not hold control characters.
        var printable = char.IsControl(unit[0]) ? "<" : unit;
        var subject = Fill(printable, 100);
        var attributes = Enumerable.Range(0, 10).ToDictionary(i => (char)('a' + i) + Fill(printable, 255), _ => Fill(unit, 100));
        var others = Utf8(subject) + attributes.Sum(a => Utf8(a.Key) + Utf8(a.Value));
        var message = Fill(unit, int.MaxValue, MessageMaxBytes - others);

        using var over = await notify.Client.Http.PostAsJsonAsync($"v1/topics/{topic}/messages", new { message = message + "x", subject, attributes });
        var accepted = await notify.Client.PublishAsync(topic, new { message, subject, attributes });

        await ProblemAssert.IsProblemAsync(over, 413, "262,145");
        var messageId = accepted.GetProperty("messageId").GetString();
        var received = (await _receiver.WaitUntilAsync(
            r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification"))
            .First(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId).Json;
        AssertSameText(message, received.GetProperty("message").GetString(), "message");
        AssertSameText(subject, received.GetProperty("subject").GetString(), "subject");
        var receivedAttributes = received.GetProperty("attributes").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetString()!);
        Assert.Equal(attributes, receivedAttributes);
    }

    [Fact]
    public async Task Publish_WithAWebhookBodyOfControlCharacters_DeliversThatBodyExactly()
    {
        await notify.SubscribeConfirmedAsync(_receiver, "content-protocols", "content-protocols");
        var webhook = new string('\u0001', (MessageMaxBytes / 2) - 100);
        var body = new Dictionary<string, string> { ["default"] = new string('<', (MessageMaxBytes / 2) - 100), ["webhook"] = webhook };

        var accepted = await notify.Client.PublishAsync("content-protocols", new { messages = body });

        var messageId = accepted.GetProperty("messageId").GetString();
        var received = await _receiver.WaitUntilAsync(
            r => r.Any(x => x.Type == "Notification" && x.Json.GetProperty("messageId").GetString() == messageId), Patience, "the notification");
        AssertSameText(webhook, received.First(x => x.Type == "Notification").Json.GetProperty("message").GetString(), "webhook body");
    }

    /// <summary>An escape of half a UTF-16 pair is not a character: the request is refused with the field it is in.</summary>
    [Theory]
    [InlineData("""{"message":"\ud800"}""", "message")]
    [InlineData("""{"message":"before \udfff after"}""", "message")]
    [InlineData("""{"message":"m","subject":"\ud83d"}""", "subject")]
    [InlineData("""{"message":"m","attributes":{"k":"\ude00"}}""", "attributes.k")]
    public async Task Publish_WithAnUnpairedSurrogateEscape_Answers400NamingTheField(string body, string field)
    {
        await notify.Client.CreateTopicAsync("content-surrogates");

        using var response = await notify.Client.Http.PostAsync(
            "v1/topics/content-surrogates/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        var detail = await ProblemAssert.IsProblemAsync(response, 400, "lone surrogate");
        Assert.StartsWith($"'{field}'", detail, StringComparison.Ordinal);
    }

    /// <summary><paramref name="unit"/> repeated within <paramref name="chars"/> UTF-16 units and <paramref name="bytes"/> of UTF-8, topped up with <c>x</c> to exactly that.</summary>
    private static string Fill(string unit, int chars, int bytes = int.MaxValue)
    {
        var text = string.Concat(Enumerable.Repeat(unit, Math.Min(chars / unit.Length, bytes / Utf8(unit))));
        return text + new string('x', Math.Min(chars - text.Length, bytes - Utf8(text)));
    }

    private static int Utf8(string text) => Encoding.UTF8.GetByteCount(text);

    private static void AssertSameText(string sent, string? received, string what)
    {
        Assert.NotNull(received);
        Assert.True(
            Encoding.UTF8.GetBytes(sent).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(received)),
            $"The {what} arrived changed: {Utf8(sent):N0} bytes sent, {Utf8(received):N0} received.");
    }
}

public sealed class EmbeddedMessageContentTests(ServiceFixture fixture) : MessageContentTests(fixture.Notify), IClassFixture<ServiceFixture>;

public sealed class AwsMessageContentTests(AwsServiceFixture fixture) : MessageContentTests(fixture.Notify), IClassFixture<AwsServiceFixture>;
