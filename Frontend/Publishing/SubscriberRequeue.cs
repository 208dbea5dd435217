using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Queue;

namespace Notify.Frontend.Publishing;

/// <summary>
/// Queues messages again for one subscription, as delivery work of its own (attempt 1, due now), so each goes
/// through the subscription's retry schedule afresh: what a dead-letter redrive and a replay both do.
/// </summary>
internal sealed class SubscriberRequeue(IMessageQueue queue, TimeProvider clock)
{
    /// <summary>Queues every notification in one batch; returns how many were queued.</summary>
    /// <param name="redrive">True for redriven dead letters: the Sender removes each dead letter once it is delivered.</param>
    public async Task<int> QueueAsync(string subscriptionId, IReadOnlyList<Notification> notifications, bool redrive, CancellationToken cancellationToken)
    {
        if (notifications.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var messages = new List<OutgoingMessage>(notifications.Count);
        foreach (var notification in notifications)
        {
            var work = new DeliveryWork { SubscriptionId = subscriptionId, Attempt = 1, DueAt = now, Redrive = redrive };
            messages.Add(new OutgoingMessage(SortableId.New(clock), EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(notification, work))));
        }

        await queue.SendBatchAsync(messages, cancellationToken);
        return messages.Count;
    }
}
