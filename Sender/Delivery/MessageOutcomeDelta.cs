namespace Notify.Sender.Delivery;

/// <summary>
/// What one delivery's end changes in its message's status (subscribers, delivered, retrying, dead-lettered):
/// a fan-out's first attempts add their ends once for the whole message; later turns each add their own.
/// </summary>
internal readonly record struct MessageOutcomeDelta(long Delivered, long Retrying, long DeadLettered)
{
    public static MessageOutcomeDelta Of(DeliveryTurn turn, DeliveryEnd end)
    {
        var waiting = turn.Waiting ? 1 : 0;

        // A redrive that has not failed again since is still counted as dead-lettered.
        var stillDead = turn.Redrive && !turn.Waiting ? 1 : 0;
        return end switch
        {
            DeliveryEnd.Delivered => new(1, -waiting, -stillDead),
            DeliveryEnd.Scheduled when turn.Waiting => default,
            DeliveryEnd.Scheduled => new(0, 1, -stillDead),
            DeliveryEnd.DeadLettered => new(0, -waiting, 1 - stillDead),
            _ => new(0, -waiting, 0),
        };
    }

    public static MessageOutcomeDelta operator +(MessageOutcomeDelta a, MessageOutcomeDelta b) =>
        new(a.Delivered + b.Delivered, a.Retrying + b.Retrying, a.DeadLettered + b.DeadLettered);

    public bool IsZero => this == default;
}
