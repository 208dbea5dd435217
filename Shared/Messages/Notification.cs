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

    /// <summary>
    /// True when this is a replay (<c>POST /v1/subscriptions/{id}/replay</c>) of a message the topic kept:
    /// webhooks then carry <c>X-Notify-Replay: true</c> on every attempt. It travels with the notification,
    /// so a replayed delivery's scheduled retries stay marked.
    /// </summary>
    public bool Replay { get; init; }

    /// <summary>The body for subscribers of <paramref name="protocol"/> (<c>email</c>, <c>sms</c> or <c>webhook</c>).</summary>
    public string MessageFor(string protocol) =>
        Messages is not null && Messages.TryGetValue(protocol, out var body) ? body : Message;
}
