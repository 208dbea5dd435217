namespace Notify.Metadata.Model;

/// <summary>
/// What is left of a deleted subscription for <see cref="Retention"/>: the subscription as it was, and when
/// it was deleted.
/// </summary>
public sealed record DeletedSubscription(Subscription Subscription, DateTimeOffset DeletedAt)
{
    /// <summary>
    /// How long a deleted subscription is remembered: long enough that an unsubscribe link followed again
    /// from an old email in a mailbox, weeks later, is still answered "already unsubscribed" rather than
    /// "not found", which reads as if the unsubscribe had failed.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);
}
