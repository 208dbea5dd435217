namespace Notify.Shared.Messages.Wire;

/// <summary>
/// A <see cref="QueueEnvelope"/> as the queue carries it. A notification is written as
/// <see cref="EncodedNotification"/>; <see cref="Notification"/> is the earlier format, with the texts as
/// JSON strings, still read so that messages queued before an upgrade are delivered. A Sender that knows
/// only the earlier format drops the current one as unreadable: in Aws mode, upgrade Senders first.
/// </summary>
internal sealed record EnvelopeWire
{
    public required EnvelopeKind Kind { get; init; }

    /// <summary>The earlier format of a notification: read, never written.</summary>
    public Notification? Notification { get; init; }

    public EncodedNotification? EncodedNotification { get; init; }

    public string? SubscriptionId { get; init; }

    public DeliveryWork? Delivery { get; init; }

    public FanOutPage? Page { get; init; }

    public static EnvelopeWire From(QueueEnvelope envelope) => new()
    {
        Kind = envelope.Kind,
        EncodedNotification = envelope.Notification is { } notification ? EncodedNotification.From(notification) : null,
        SubscriptionId = envelope.SubscriptionId,
        Delivery = envelope.Delivery,
        Page = envelope.Page,
    };

    /// <exception cref="EnvelopeFormatException">A text is missing or not valid UTF-8.</exception>
    public QueueEnvelope ToEnvelope() => new()
    {
        Kind = Kind,
        Notification = EncodedNotification?.ToNotification() ?? Notification,
        SubscriptionId = SubscriptionId,
        Delivery = Delivery,
        Page = Page,
    };
}
