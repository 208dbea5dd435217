namespace Notify.Frontend.Api.Contracts;

public sealed record PublishRequest(
    string? Message,
    string? Subject,
    Dictionary<string, string>? Attributes,
    string? DedupId);

public sealed record PublishResponse(string MessageId, bool Duplicate);
