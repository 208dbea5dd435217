namespace Notify.Shared.Messages;

/// <summary>A message accepted by the Frontend for a topic.</summary>
public sealed record Notification
{
    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public string? Subject { get; init; }
    public required string Message { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
}
