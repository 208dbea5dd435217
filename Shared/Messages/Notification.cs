namespace Notify.Shared.Messages;

/// <summary>A message accepted by the Frontend for a topic.</summary>
public sealed record Notification
{
    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public string? Subject { get; init; }
    /// <summary>The body every protocol gets unless <see cref="Messages"/> holds one for it.</summary>
    public required string Message { get; init; }

    /// <summary>
    /// Bodies for one protocol each (keys <c>email</c>, <c>sms</c>, <c>webhook</c>), as SNS's
    /// MessageStructure=json; null when the publish sent only <see cref="Message"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Messages { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The body for subscribers of <paramref name="protocol"/> (<c>email</c>, <c>sms</c> or <c>webhook</c>).</summary>
    public string MessageFor(string protocol) =>
        Messages is not null && Messages.TryGetValue(protocol, out var body) ? body : Message;
}
