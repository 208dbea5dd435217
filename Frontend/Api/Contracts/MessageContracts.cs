using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Notify.Frontend.Validation;

namespace Notify.Frontend.Api.Contracts;

/// <param name="Messages">
/// Bodies per protocol (<c>default</c>, <c>email</c>, <c>sms</c>, <c>webhook</c>), as SNS's
/// MessageStructure=json; <c>default</c> stands in for <paramref name="Message"/>.
/// </param>
public sealed record PublishRequest(
    [property: Description("The message every subscriber gets (unless messages holds a body for its protocol). Send message or messages.default.")]
    [property: MinLength(1)]
    string? Message = null,
    [property: Description("A subject: the email subject line, and in every webhook body. 1 to 100 characters, no line breaks or control characters.")]
    [property: StringLength(Limits.SubjectMaxLength, MinimumLength = 1)]
    [property: RegularExpression(PublishRule.SubjectPattern)]
    string? Subject = null,
    [property: Description("Up to 10 string attributes, given to every subscriber.")]
    Dictionary<string, string>? Attributes = null,
    [property: Description("A dedup id: a repeat within the dedup window is answered with the first messageId and not delivered again. 1 to 128 printable ASCII characters without spaces; or send the Idempotency-Key header.")]
    [property: StringLength(Limits.DedupIdMaxLength, MinimumLength = 1)]
    [property: RegularExpression(PublishRule.DedupIdPattern)]
    string? DedupId = null,
    [property: Description("A body per protocol, as SNS's MessageStructure=json: keys default, email, sms and webhook; a protocol without its own gets default (or message).")]
    Dictionary<string, string?>? Messages = null)
{
    /// <summary>The body of protocols without their own: <c>message</c>, else <c>messages.default</c>.</summary>
    [JsonIgnore]
    public string? DefaultMessage => Message ?? Messages?.GetValueOrDefault(PublishRule.DefaultKey);
}

public sealed record PublishResponse(
    [property: Description("The message's id: the same in every delivery and attempt, so receivers can drop repeats.")] string MessageId,
    [property: Description("True when this publish repeated a dedup id within the window: messageId is then the first publish's, and nothing new is delivered.")] bool Duplicate);
