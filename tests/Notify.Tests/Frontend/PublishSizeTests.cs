using System.Globalization;
using System.Text;
using System.Text.Json;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.Publishing;
using Notify.Frontend.Validation;
using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Queue;

namespace Notify.Tests.Frontend;

/// <summary>
/// No publish within the API's limits can outgrow what carries it: the request body limit on the way
/// in, the queue's 1 MiB on the way to the Sender. Each bound is computed from the limits and checked
/// against the worst request those limits allow.
/// </summary>
public sealed class PublishSizeTests
{
    // The texts an envelope carries in base64: message, subject, the three protocols' own bodies (the
    // default body travels as message) and the attributes' names and values.
    private const int EncodedTexts = 1 + 1 + 3 + (2 * Limits.MaxAttributes);

    // Everything else in an envelope, generously: property names and punctuation (about 200 bytes, and
    // 23 per attribute), the message id (32), the timestamp (33) and the topic name (256 ASCII).
    private const int EnvelopeStructure = 1024;

    /// <summary>
    /// Base64 of n bytes takes 4⌈n/3⌉ ≤ (4n + 8) / 3 bytes, so texts of at most B bytes in k fields take
    /// at most (4B + 8k) / 3: (4 × 262,144 + 8 × 25) / 3 = 349,592 bytes. With the structure: 350,616
    /// bytes (342.4 KiB), a third of the queue's 1,048,576.
    /// </summary>
    private const int EnvelopeWorstCase = ((4 * Limits.MessageMaxBytes) + (8 * EncodedTexts)) / 3 + EnvelopeStructure;

    /// <summary>
    /// A request body writes a character as a JSON escape of at most six bytes per byte of UTF-8
    /// (<c>\u0001</c>; <c>\u00e9</c> is 3 per byte, <c>\ud83d\ude00</c> 3 per byte), and the dedup id is not
    /// counted in the 256 KiB: 6 × 262,144 + 6 × 128 = 1,573,632 bytes, 1,574,656 with 1 KiB of property
    /// names and punctuation; 75 % of the 2 MiB request limit.
    /// </summary>
    private const int RequestWorstCase = (6 * Limits.MessageMaxBytes) + (6 * Limits.DedupIdMaxLength) + 1024;

    [Fact]
    public void WorstCaseEnvelope_StaysUnderHalfTheQueueLimit()
    {
        var request = WorstCaseRequest();
        var topic = new string('t', Limits.TopicNameMaxLength);
        var latest = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(TimeSpan.TicksPerSecond - 1);

        var body = EnvelopeJson.Serialize(NotificationEnvelope.For(topic, request, SortableId.New(TimeProvider.System), latest));

        var bytes = Encoding.UTF8.GetByteCount(body);
        Assert.True(bytes <= EnvelopeWorstCase, $"the envelope takes {bytes:N0} bytes, over the computed worst case of {EnvelopeWorstCase:N0}");
        Assert.True(bytes > EnvelopeWorstCase - EnvelopeStructure - (2 * EncodedTexts), $"the request is not the worst case: {bytes:N0} bytes");
        Assert.True(EnvelopeWorstCase <= QueueLimits.MaxBodyBytes / 2, $"{EnvelopeWorstCase:N0} bytes is not well under the queue's {QueueLimits.MaxBodyBytes:N0}");
    }

    [Fact]
    public void WorstCaseRequest_IsValid_AtTheLimit_AndBrokeTheEarlierEnvelope()
    {
        var request = WorstCaseRequest();

        Assert.Null(PublishRule.Check(request, null));
        Assert.Null(PublishRule.OversizeBytes(request));
        Assert.Equal(Limits.MessageMaxBytes + 1, PublishRule.OversizeBytes(request with { Message = request.Message + "<" }));

        // As JSON strings with the default encoder (the envelope before base64) the same texts take
        // over 1 MiB: this is the request that answered 500.
        var asStrings = JsonSerializer.Serialize(
            new { request.Message, request.Subject, request.Messages, request.Attributes }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.True(Encoding.UTF8.GetByteCount(asStrings) > QueueLimits.MaxBodyBytes);
    }

    [Fact]
    public void WorstCaseRequestBody_AllEscapes_FitsTheRequestLimit_AndParsesToTheSameRequest()
    {
        var request = WorstCaseRequest(dedupId: new string('!', Limits.DedupIdMaxLength));
        var body = new StringBuilder("{\"message\":").Append(Escaped(request.Message!))
            .Append(",\"subject\":").Append(Escaped(request.Subject!))
            .Append(",\"attributes\":").Append(Escaped(request.Attributes!))
            .Append(",\"messages\":").Append(Escaped(request.Messages!))
            .Append(",\"dedupId\":").Append(Escaped(request.DedupId!))
            .Append('}').ToString();

        var parsed = JsonSerializer.Deserialize(body, ApiJsonContext.Default.PublishRequest)!;

        Assert.Equal(request.Message, parsed.Message);
        Assert.Equal(request.Attributes, parsed.Attributes);
        Assert.Equal(request.Messages, parsed.Messages);
        Assert.Null(PublishRule.OversizeBytes(parsed));
        var bytes = Encoding.UTF8.GetByteCount(body);
        Assert.True(bytes <= RequestWorstCase, $"the body takes {bytes:N0} bytes, over the computed worst case of {RequestWorstCase:N0}");
        Assert.True(RequestWorstCase <= Limits.PublishBodyMaxBytes, $"{RequestWorstCase:N0} bytes is over the request limit of {Limits.PublishBodyMaxBytes:N0}");
    }

    /// <summary>
    /// The envelope writes an unpaired surrogate as U+FFFD (UTF-8 cannot hold it), so the API must never
    /// hand it one: the request reader refuses them, and the answer names the field.
    /// </summary>
    [Theory]
    [InlineData("""{"message":"\ud800"}""", "message")]
    [InlineData("""{"message":"x\udfff"}""", "message")]
    [InlineData("""{"message":"m","subject":"\ud83d"}""", "subject")]
    [InlineData("""{"message":"m","attributes":{"k":"\ude00\ud83d"}}""", "attributes.k")]
    public void UnpairedSurrogateEscape_IsRefusedByTheRequestReader_AndDescribedWithItsField(string body, string field)
    {
        var refusal = Assert.Throws<InvalidRequestException>(() => JsonBodyReader.Deserialize(
            new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), ApiJsonContext.Default.PublishRequest));

        Assert.Contains("lone surrogate", Assert.Single(refusal.Errors.ToDictionary()[field]), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every counted field at its limit and 262,144 bytes in all. For base64 every byte costs the same
    /// and padding is what costs most, so every text is one byte longer than a multiple of three; the
    /// characters are those that cost most as JSON strings.
    /// </summary>
    private static PublishRequest WorstCaseRequest(string? dedupId = null)
    {
        var subject = new string('<', Limits.SubjectMaxLength);
        var attributes = Enumerable.Range(0, Limits.MaxAttributes).ToDictionary(
            i => new string('"', Limits.AttributeNameMaxLength - 1) + (char)('a' + i),
            _ => new string('\u0001', 1000));
        var messages = new Dictionary<string, string?>
        {
            ["email"] = string.Concat(Enumerable.Repeat("😀", 2500)),
            ["sms"] = new string('\u0001', 10_000),
            ["webhook"] = new string('\\', 10_000),
        };
        var others = Encoding.UTF8.GetByteCount(subject)
            + attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value))
            + messages.Sum(m => Encoding.UTF8.GetByteCount(m.Key) + Encoding.UTF8.GetByteCount(m.Value!));
        var message = new string('<', Limits.MessageMaxBytes - others);
        Assert.All(
            new[] { subject, message }.Concat(attributes.Keys).Concat(attributes.Values).Concat(messages.Values.Select(m => m!)),
            text => Assert.Equal(1, Encoding.UTF8.GetByteCount(text) % 3));
        return new PublishRequest(message, subject, attributes, dedupId, messages);
    }

    private static string Escaped(string text) =>
        "\"" + string.Concat(text.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture))) + "\"";

    private static string Escaped<TValue>(Dictionary<string, TValue> map) =>
        "{" + string.Join(",", map.Select(p => Escaped(p.Key) + ":" + Escaped(p.Value?.ToString()!))) + "}";
}
