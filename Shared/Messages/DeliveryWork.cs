namespace Notify.Shared.Messages;

/// <summary>
/// One subscriber's delivery of a notification, as a unit of queue work of its own: a retry scheduled after
/// a failed attempt, a delivery waiting for its subscription's pace, or a redriven dead letter. Any Sender
/// may receive it; it no longer depends on the queue message the notification was published in.
/// </summary>
public sealed record DeliveryWork
{
    public required string SubscriptionId { get; init; }

    /// <summary>The number of the attempt this work makes: 1 for a first attempt (a redrive starts again at 1).</summary>
    public required int Attempt { get; init; }

    /// <summary>
    /// When the attempt is due. The queue delays a message at most 15 minutes: work received before its time
    /// is queued again for what remains, so a wait of hours costs a few queue requests, none per second.
    /// </summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>The attempts made so far (kept in the dead letter if it ends there).</summary>
    public IReadOnlyList<DeliveryAttempt> History { get; init; } = [];

    /// <summary>True for a redriven dead letter: its dead letter is removed once it is delivered.</summary>
    public bool Redrive { get; init; }

    /// <summary>
    /// True once the delivery is counted as retrying (waiting) in its message's status and in the stats: it
    /// failed an attempt, or waits for its subscription's pace. False for a first attempt or a fresh redrive.
    /// </summary>
    public bool Retrying { get; init; }

    /// <summary>The delivery waited for its subscription's pace and holds the turn reserved for <see cref="DueAt"/>.</summary>
    public bool Paced { get; init; }
}
