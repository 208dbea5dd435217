namespace Notify.Shared.Messages;

/// <summary>
/// What travels through the queue from Frontend to Sender: a published notification to fan out to a
/// topic's confirmed subscribers, a confirmation request for one new subscription, or work a Sender queued
/// for any Sender: one subscriber's delivery, or one page of a large topic's fan-out.
/// </summary>
public sealed record QueueEnvelope
{
    public required EnvelopeKind Kind { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="EnvelopeKind.Notification"/>.</summary>
    public Notification? Notification { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="EnvelopeKind.SubscriptionConfirmation"/>.</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="EnvelopeKind.Delivery"/> (with <see cref="Notification"/>).</summary>
    public DeliveryWork? Delivery { get; init; }

    /// <summary>Set when <see cref="Kind"/> is <see cref="EnvelopeKind.FanOutPage"/> (with <see cref="Notification"/>).</summary>
    public FanOutPage? Page { get; init; }

    public static QueueEnvelope For(Notification notification) =>
        new() { Kind = EnvelopeKind.Notification, Notification = notification };

    public static QueueEnvelope ForConfirmation(string subscriptionId) =>
        new() { Kind = EnvelopeKind.SubscriptionConfirmation, SubscriptionId = subscriptionId };

    public static QueueEnvelope ForDelivery(Notification notification, DeliveryWork delivery) =>
        new() { Kind = EnvelopeKind.Delivery, Notification = notification, Delivery = delivery, SubscriptionId = delivery.SubscriptionId };

    public static QueueEnvelope ForPage(Notification notification, FanOutPage page) =>
        new() { Kind = EnvelopeKind.FanOutPage, Notification = notification, Page = page };
}

public enum EnvelopeKind
{
    Notification,
    SubscriptionConfirmation,

    /// <summary>One subscriber's delivery of a notification: a scheduled retry, a paced delivery, or a redrive.</summary>
    Delivery,

    /// <summary>One page of a large topic's fan-out of a notification.</summary>
    FanOutPage,
}
