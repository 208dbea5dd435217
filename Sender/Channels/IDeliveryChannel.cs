using Notify.Metadata.Model;
using Notify.Shared.Messages;

namespace Notify.Sender.Channels;

/// <summary>
/// Delivers to subscribers of one <see cref="Protocol"/> (webhook, email, SMS). A channel owns its
/// retries: it returns once the delivery succeeded or was given up, and throws only
/// <see cref="OperationCanceledException"/> when the token is cancelled (the message then goes back to
/// the queue and is delivered again later).
/// </summary>
internal interface IDeliveryChannel
{
    Protocol Protocol { get; }

    /// <summary>
    /// This channel's own bulkhead: the most of its deliveries that may run at once. Null for the
    /// Sender's shared <c>MaxConcurrentDeliveries</c> figure (a pool of that size for this channel alone).
    /// </summary>
    int? MaxConcurrent { get; }

    /// <summary>Sends one published message to one confirmed subscriber.</summary>
    Task<DeliveryResult> DeliverAsync(Notification notification, Subscription subscription, CancellationToken cancellationToken);

    /// <summary>Asks the endpoint's owner to confirm a pending subscription (the link carries its confirm token).</summary>
    Task<DeliveryResult> ConfirmAsync(Subscription subscription, CancellationToken cancellationToken);
}
