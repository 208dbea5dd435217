using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Queue;

namespace Notify.Sender.Delivery;

/// <summary>
/// Puts a delivery's next attempt on the queue as work of its own (<see cref="EnvelopeKind.Delivery"/>),
/// delayed until it is due. The queue delays a message at most <see cref="MaxDelay"/> (SQS's limit), so a
/// later attempt hops: received early, it is queued again for what remains. A wait of h hours costs about
/// 4·h sends, receives and deletes, and nothing while it waits.
/// </summary>
internal sealed class DeliveryWorkQueue(IMessageQueue queue, TimeProvider clock)
{
    /// <summary>The longest delay the queue keeps a message for.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    // SQS counts delays in whole seconds, rounded up here: work may come back up to a second early, and is
    // then made rather than queued again for a fraction of a second.
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(1);

    /// <summary>Stores the work durably; returns once the queue has it.</summary>
    public Task ScheduleAsync(Notification notification, DeliveryWork work, CancellationToken cancellationToken)
    {
        var delay = work.DueAt - clock.GetUtcNow();
        var message = new OutgoingMessage(
            SortableId.New(clock),
            EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(notification, work)),
            delay <= TimeSpan.Zero ? TimeSpan.Zero : delay < MaxDelay ? delay : MaxDelay);
        return queue.SendBatchAsync([message], cancellationToken);
    }

    /// <summary>True when <paramref name="work"/> should be attempted now rather than queued again.</summary>
    public bool IsDue(DeliveryWork work) => work.DueAt - clock.GetUtcNow() <= Early;
}
