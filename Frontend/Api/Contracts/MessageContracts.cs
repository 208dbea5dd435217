using Notify.Frontend.Validation;

namespace Notify.Frontend.Api.Contracts;

/// <param name="Messages">
/// Bodies per protocol (<c>default</c>, <c>email</c>, <c>sms</c>, <c>webhook</c>), as SNS's
/// MessageStructure=json; <c>default</c> stands in for <paramref name="Message"/>.
/// </param>
public sealed record PublishRequest(
    string? Message,
    string? Subject,
    Dictionary<string, string>? Attributes,
    string? DedupId,
    Dictionary<string, string?>? Messages = null)
{
    /// <summary>The body of protocols without their own: <c>message</c>, else <c>messages.default</c>.</summary>
    public string? DefaultMessage => Message ?? Messages?.GetValueOrDefault(PublishRule.DefaultKey);
}

public sealed record PublishResponse(string MessageId, bool Duplicate);
