using Notify.Metadata.Model;
using Notify.Shared.Messages;

namespace Notify.Sender.Delivery;

/// <summary>
/// One delivery's turn in this process: a subscriber's copy of a notification, either its first attempt
/// (from the message's fan-out, <see cref="Work"/> null) or a later one received as queue work.
/// </summary>
internal sealed record DeliveryTurn(Notification Notification, Subscription Subscription, DeliveryWork? Work)
{
    /// <summary>The number of the attempt this turn makes first.</summary>
    public int Attempt => Work?.Attempt ?? 1;

    /// <summary>The attempts made in earlier turns.</summary>
    public IReadOnlyList<DeliveryAttempt> History => Work?.History ?? [];

    /// <summary>Counted as retrying in the message's status and the stats (see <see cref="DeliveryWork.Retrying"/>).</summary>
    public bool Waiting => Work?.Retrying == true;

    /// <summary>A redriven dead letter, still kept as a dead letter until it is delivered.</summary>
    public bool Redrive => Work?.Redrive == true;

    /// <summary>Holds its reserved turn at the subscription's pace.</summary>
    public bool HoldsPace => Work?.Paced == true;

    /// <summary>The first attempt of the fan-out, not queue work.</summary>
    public bool IsFanOut => Work is null;
}
