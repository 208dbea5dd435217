namespace Notify.Sender.Delivery;

/// <summary>How one delivery's turn in this process ended; every one leaves nothing owed to the queue message it came in.</summary>
internal enum DeliveryEnd
{
    /// <summary>The endpoint accepted it.</summary>
    Delivered,

    /// <summary>Its next attempt (a retry, or its turn at the subscription's pace) is on the queue.</summary>
    Scheduled,

    /// <summary>It failed for good or ran out of attempts, and is kept as a dead letter.</summary>
    DeadLettered,

    /// <summary>Its subscription is gone (deleted, unsubscribed, expired): nothing more is owed to it.</summary>
    Dropped,
}
