namespace Notify.Metadata.Retention;

/// <summary>
/// A message its topic keeps for replay: the queue envelope it was published in, as the Frontend queued it,
/// until <see cref="ExpiresAt"/> (its publish time plus the topic's retention then).
/// </summary>
public sealed record RetainedMessage
{
    public required string Topic { get; init; }

    /// <summary>The message's id, as publish answered it: sortable by time, so listings are in publish order.</summary>
    public required string MessageId { get; init; }

    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>The serialized <see cref="Shared.Messages.QueueEnvelope"/> of the publish (<see cref="Shared.Messages.EnvelopeJson"/>).</summary>
    public required string Envelope { get; init; }

    /// <summary>From this time on the message is gone: reads skip it, and the sweep or DynamoDB's TTL deletes it.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
