using System.Text;
using System.Text.Json;
using Notify.Shared.Messages;

namespace Notify.Tests.Messages;

/// <summary>
/// The queue envelope carries every text exactly, in a body SQS accepts, and reads what the version
/// before wrote.
/// </summary>
public sealed class EnvelopeJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, 123, TimeSpan.Zero);

    /// <summary>Each class of character that JSON escapes, that SQS refuses raw, or that UTF-16 splits.</summary>
    public static TheoryData<string, string> CharacterClasses => new()
    {
        { "html-sensitive", "<>&'" },
        { "quote", "\"" },
        { "control", "\u0001\u0000\u001f\u007f" },
        { "backslash", "\\" },
        { "plus and slash", "+/" },
        { "line separators", "\r\n\t\u2028\u2029" },
        { "4-byte emoji", "😀🧑🏽‍🚀" },
        { "2- and 3-byte", "é中\ufeff\uffff" },
    };

    [Theory]
    [MemberData(nameof(CharacterClasses))]
    public void Notification_RoundTripsEveryTextExactly(string name, string characters)
    {
        var text = string.Concat(Enumerable.Repeat(characters, 50)) + name;
        var notification = Notification(
            subject: characters,
            message: text,
            messages: new Dictionary<string, string> { ["email"] = text + "e", ["sms"] = characters, ["webhook"] = text },
            attributes: new Dictionary<string, string> { [characters] = text, ["plain"] = characters });

        var read = EnvelopeJson.Deserialize(EnvelopeJson.Serialize(QueueEnvelope.For(notification))).Notification!;

        Assert.Equal(notification.Subject, read.Subject, StringComparer.Ordinal);
        Assert.Equal(notification.Message, read.Message, StringComparer.Ordinal);
        Assert.Equal(notification.Messages!.OrderBy(m => m.Key), read.Messages!.OrderBy(m => m.Key));
        Assert.Equal(notification.Attributes!.ToList(), read.Attributes!.ToList());
        Assert.Equal(notification with { Messages = null, Attributes = null }, read with { Messages = null, Attributes = null });
    }

    [Theory]
    [MemberData(nameof(CharacterClasses))]
    public void Body_IsPrintableAscii_WithoutEscapes(string name, string characters)
    {
        var text = string.Concat(Enumerable.Repeat(characters, 1000));
        var notification = Notification(characters, text, null, new Dictionary<string, string> { [characters] = text });

        var body = EnvelopeJson.Serialize(QueueEnvelope.For(notification));

        // What SQS accepts in a body, and what keeps the size at 4/3 of the texts: no escapes.
        Assert.True(body.All(c => c is >= ' ' and <= '~'), $"{name}: the body has a character outside printable ASCII");
        Assert.DoesNotContain("\\u", body, StringComparison.Ordinal);
        var texts = Encoding.UTF8.GetByteCount(characters) * 2 + Encoding.UTF8.GetByteCount(text) * 2;
        Assert.InRange(body.Length, texts * 4 / 3, texts * 4 / 3 + 300);
    }

    /// <summary>A replay's mark travels with its notification; an ordinary message's envelope has no trace of it.</summary>
    [Fact]
    public void Replay_IsWrittenOnlyWhenTrue_AndRoundTrips()
    {
        var notification = Notification(subject: null, message: "m", messages: null, attributes: null);
        var work = new DeliveryWork { SubscriptionId = "sub", Attempt = 1, DueAt = notification.Timestamp };

        var ordinary = EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(notification, work));
        var replayed = EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(notification with { Replay = true }, work));

        Assert.DoesNotContain("replay", ordinary, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"replay\":true", replayed, StringComparison.Ordinal);
        Assert.False(EnvelopeJson.Deserialize(ordinary).Notification!.Replay);
        Assert.Equal(notification with { Replay = true }, EnvelopeJson.Deserialize(replayed).Notification);
    }

    [Fact]
    public void Notification_WithoutSubjectMessagesOrAttributes_RoundTripsTheirAbsence()
    {
        var notification = Notification(subject: null, message: "m", messages: null, attributes: null);

        var read = EnvelopeJson.Deserialize(EnvelopeJson.Serialize(QueueEnvelope.For(notification)));

        Assert.Equal(EnvelopeKind.Notification, read.Kind);
        Assert.Equal(notification, read.Notification);
    }

    [Fact]
    public void Confirmation_RoundTrips()
    {
        var read = EnvelopeJson.Deserialize(EnvelopeJson.Serialize(QueueEnvelope.ForConfirmation("0192f3a4b5c6d7e8f90a1b2c3d4e5f61")));

        Assert.Equal(QueueEnvelope.ForConfirmation("0192f3a4b5c6d7e8f90a1b2c3d4e5f61"), read);
    }

    /// <summary>A notification exactly as the version before base64 wrote it (texts as escaped JSON strings).</summary>
    private const string EarlierFormatNotification = """
        {"kind":"Notification","notification":{"messageId":"0192f3a4b5c6d7e8f90a1b2c3d4e5f60","topic":"orders","subject":"\u003CShipped\u003E \u0026 \u0022done\u0022","message":"\u003Cb\u003E\u0001\u0022\\ \uD83D\uDE00 \u00E9","messages":{"email":"mail \u003Cbody\u003E","sms":"sms\ttext"},"attributes":{"region":"eu","\u003Ck\u003E":"\u0001v"},"timestamp":"2026-12-02T10:00:00.123+00:00"}}
        """;

    [Fact]
    public void NotificationQueuedByTheEarlierVersion_IsStillRead()
    {
        var read = EnvelopeJson.Deserialize(EarlierFormatNotification);

        Assert.Equal(EnvelopeKind.Notification, read.Kind);
        var notification = read.Notification!;
        Assert.Equal("0192f3a4b5c6d7e8f90a1b2c3d4e5f60", notification.MessageId);
        Assert.Equal("orders", notification.Topic);
        Assert.Equal("<Shipped> & \"done\"", notification.Subject);
        Assert.Equal("<b>\u0001\"\\ 😀 é", notification.Message);
        Assert.Equal("mail <body>", notification.MessageFor("email"));
        Assert.Equal("sms\ttext", notification.MessageFor("sms"));
        Assert.Equal("<b>\u0001\"\\ 😀 é", notification.MessageFor("webhook"));
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["<k>"] = "\u0001v" }, notification.Attributes);
        Assert.Equal(At, notification.Timestamp);
    }

    [Fact]
    public void ConfirmationQueuedByTheEarlierVersion_IsStillRead()
    {
        var read = EnvelopeJson.Deserialize("""{"kind":"SubscriptionConfirmation","subscriptionId":"0192f3a4b5c6d7e8f90a1b2c3d4e5f61"}""");

        Assert.Equal(QueueEnvelope.ForConfirmation("0192f3a4b5c6d7e8f90a1b2c3d4e5f61"), read);
    }

    [Fact]
    public void Notification_IsWrittenInTheCurrentFormatOnly()
    {
        var body = EnvelopeJson.Serialize(QueueEnvelope.For(Notification("s", "m", null, null)));

        using var json = JsonDocument.Parse(body);
        Assert.Equal(["kind", "encodedNotification"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("bQ==", json.RootElement.GetProperty("encodedNotification").GetProperty("message").GetString());
    }

    public static TheoryData<string, string> CorruptBodies => new()
    {
        { "message not base64", Encoded("\"message\":\"!!!\"") },
        { "message not UTF-8", Encoded($"\"message\":\"{Convert.ToBase64String([0xC3, 0x28])}\"") },
        { "attribute value not UTF-8", Encoded($"\"message\":\"bQ==\",\"attributes\":[{{\"name\":\"bQ==\",\"value\":\"{Convert.ToBase64String([0xFF])}\"}}]") },
        { "attribute without value", Encoded("\"message\":\"bQ==\",\"attributes\":[{\"name\":\"bQ==\"}]") },
        { "attribute named twice", Encoded("\"message\":\"bQ==\",\"attributes\":[{\"name\":\"bQ==\",\"value\":\"bQ==\"},{\"name\":\"bQ==\",\"value\":\"bQ==\"}]") },
        { "protocol body null", Encoded("\"message\":\"bQ==\",\"messages\":{\"sms\":null}") },
        { "message missing", Encoded("\"subject\":\"bQ==\"") },
    };

    /// <summary>The Sender drops a body that throws <see cref="JsonException"/> as poison; nothing else may escape.</summary>
    [Theory]
    [MemberData(nameof(CorruptBodies))]
    public void CorruptEnvelope_IsAJsonException(string name, string body)
    {
        var error = Assert.ThrowsAny<JsonException>(() => EnvelopeJson.Deserialize(body));

        Assert.False(string.IsNullOrEmpty(error.Message), name);
    }

    private static string Encoded(string fields) =>
        """{"kind":"Notification","encodedNotification":{"messageId":"m1","topic":"orders","timestamp":"2026-12-02T10:00:00+00:00",""" + fields + "}}";

    private static Notification Notification(string? subject, string message, Dictionary<string, string>? messages, Dictionary<string, string>? attributes) => new()
    {
        MessageId = "0192f3a4b5c6d7e8f90a1b2c3d4e5f60",
        Topic = "orders",
        Subject = subject,
        Message = message,
        Messages = messages,
        Attributes = attributes,
        Timestamp = At,
    };
}
