using Notify.Metadata.Model;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;

namespace Notify.Sender.Channels;

/// <summary>
/// Delivers to subscribers of one <see cref="Protocol"/> (webhook, email, SMS). A channel owns its
/// retries: it returns once the delivery succeeded or was given up, and throws only
/// <see cref="OperationCanceledException"/> when the token is cancelled (the message then goes back to
/// the queue and is delivered again later). A call with a <see cref="RetryPlan"/> makes only the
/// attempts the plan allows in this process; its caller schedules the rest.
/// </summary>
internal interface IDeliveryChannel
{
    Protocol Protocol { get; }

    /// <summary>
    /// This channel's own bulkhead: the most of its deliveries that may run at once. Null for the
    /// Sender's shared <c>MaxConcurrentDeliveries</c> figure (a pool of that size for this channel alone).
    /// </summary>
    int? MaxConcurrent { get; }

    /// <summary>Sends one published message to one confirmed subscriber, retrying as the channel's own settings say.</summary>
    Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, CancellationToken cancellationToken) =>
        DeliverAsync(notification, subscription, null, cancellationToken);

    /// <summary>
    /// Sends one published message to one confirmed subscriber, numbering and retrying its attempts as
    /// <paramref name="plan"/> says (the channel's own settings when null).
    /// </summary>
    Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, RetryPlan? plan, CancellationToken cancellationToken);

    /// <summary>Asks the endpoint's owner to confirm a pending subscription (the link carries its confirm token).</summary>
    Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken);
}
