using System.Text;

namespace Notify.Shared.Messages.Wire;

/// <summary>
/// A <see cref="Messages.Notification"/> with every text a publisher wrote (subject, bodies, attribute
/// names and values) as its UTF-8 bytes, which JSON writes in base64. As JSON strings those texts could
/// outgrow the queue: an escape costs up to six bytes for one byte of UTF-8 (<c>\u0001</c>, and with
/// the default encoder also <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c>, <c>+</c> and <c>"</c>), so
/// the API's 256 KiB could take 1.5 MiB against SQS's 1 MiB. Base64 costs 4/3 of the bytes whatever
/// they are, its alphabet is never escaped, and it carries characters SQS refuses in a body (control
/// characters). The ids, the topic (validated ASCII) and the timestamp stay readable.
/// </summary>
internal sealed record EncodedNotification
{
    // Strict on reading: invalid bytes are a corrupt message, not text to guess at. Writing replaces an
    // unpaired surrogate with U+FFFD as any JSON writer would; the API's parser refuses them anyway.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public byte[]? Subject { get; init; }
    public required byte[] Message { get; init; }

    /// <summary>Per-protocol bodies by protocol name (<c>email</c>, <c>sms</c>, <c>webhook</c>).</summary>
    public Dictionary<string, byte[]>? Messages { get; init; }

    /// <summary>A list, not an object: names as property names would be JSON strings again.</summary>
    public List<EncodedAttribute>? Attributes { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>True for a replay; null (left out) otherwise, so envelopes of ordinary messages are unchanged.</summary>
    public bool? Replay { get; init; }

    public static EncodedNotification From(Notification notification) => new()
    {
        MessageId = notification.MessageId,
        Topic = notification.Topic,
        Subject = notification.Subject is { } subject ? Encoding.UTF8.GetBytes(subject) : null,
        Message = Encoding.UTF8.GetBytes(notification.Message),
        Messages = notification.Messages?.ToDictionary(m => m.Key, m => Encoding.UTF8.GetBytes(m.Value), StringComparer.Ordinal),
        Attributes = notification.Attributes?.Select(a => new EncodedAttribute(Encoding.UTF8.GetBytes(a.Key), Encoding.UTF8.GetBytes(a.Value))).ToList(),
        Timestamp = notification.Timestamp,
        Replay = notification.Replay ? true : null,
    };

    /// <exception cref="EnvelopeFormatException">A text is missing or not valid UTF-8.</exception>
    public Notification ToNotification()
    {
        Dictionary<string, string>? attributes = null;
        if (Attributes is not null)
        {
            attributes = new Dictionary<string, string>(Attributes.Count, StringComparer.Ordinal);
            foreach (var attribute in Attributes)
            {
                if (!attributes.TryAdd(Text(attribute.Name, "attribute name"), Text(attribute.Value, "attribute value")))
                {
                    throw new EnvelopeFormatException("An attribute name appears twice.");
                }
            }
        }

        return new Notification
        {
            MessageId = MessageId,
            Topic = Topic,
            Subject = Subject is null ? null : Text(Subject, "subject"),
            Message = Text(Message, "message"),
            Messages = Messages?.ToDictionary(m => m.Key, m => Text(m.Value, $"{m.Key} body"), StringComparer.Ordinal),
            Attributes = attributes,
            Timestamp = Timestamp,
            Replay = Replay == true,
        };
    }

    private static string Text(byte[]? utf8, string what)
    {
        if (utf8 is null)
        {
            throw new EnvelopeFormatException($"The envelope's {what} is missing.");
        }

        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            // Not the exception's message: it quotes the bytes.
            throw new EnvelopeFormatException($"The envelope's {what} is not valid UTF-8.");
        }
    }
}
