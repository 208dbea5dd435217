using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>
/// Topics, subscriptions, deleted subscriptions' tombstones, and the list of phone numbers opted out of
/// SMS. Creates are idempotent: creating what exists returns the existing item with <c>Created = false</c>.
/// Cursors are opaque strings produced by the store itself.
/// </summary>
/// <remarks>
/// A pending subscription whose <see cref="Subscription.ExpiresAt"/> has come (by the store's
/// <see cref="TimeProvider"/>) is absent for every operation: reads do not return it, updates and confirm
/// return null, and a subscribe of its protocol and endpoint replaces it. <see cref="DeleteExpiredAsync"/>
/// or the engine itself removes it later.
/// </remarks>
public interface IMetadataStore
{
    Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="topic"/> (its name, creation time and settings) unless its name is taken; when
    /// it is, returns the existing topic unchanged with <c>Created = false</c>.
    /// </summary>
    Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken);

    Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>Topics in name order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces all the topic's mutable settings with <paramref name="settings"/> (callers merge a partial
    /// change onto what they read); returns the updated topic, null when there is no such topic. Concurrent
    /// updates are last-writer-wins for the whole settings record: one writer's settings stand, never a mix.
    /// </summary>
    Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the topic and all its subscriptions; false when there was no such topic. The subscriptions
    /// leave no tombstones: a topic deleted by its owner is not a subscriber's unsubscribe.
    /// </summary>
    Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="candidate"/> unless the topic already has a subscription with the same
    /// protocol and endpoint, which is then returned with <c>Created = false</c>; an expired pending one is
    /// replaced by the candidate instead (<c>Created = true</c>).
    /// </summary>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken);

    Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Subscriptions of a topic in creation order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Subscriptions of every topic that match the non-null fields of <paramref name="query"/>, ordered by
    /// topic name, then creation order within a topic; a topic that does not exist gives an empty page. A
    /// page holds at most <paramref name="limit"/> items, possibly from several topics. The work of one call
    /// is bounded, so a page may hold fewer items (even none) while <see cref="Page{T}.NextCursor"/> is not
    /// null: the listing ends only when it is null.
    /// </summary>
    /// <exception cref="InvalidCursorException">The cursor was not produced by this listing with this query.</exception>
    Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the subscription confirmed (idempotent) and clears its expiry; null when there is no such
    /// subscription, or it expired before being confirmed. A disabled subscription stays disabled (only
    /// <see cref="SetDisabledAsync"/> enables it).
    /// </summary>
    Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces all the subscription's mutable settings (filter policy, delivery policy) with
    /// <paramref name="settings"/>; returns the updated
    /// subscription, null when there is none. Concurrent updates are last-writer-wins for the whole settings
    /// record. The Sender's fan-out list sees the change at once in this process.
    /// </summary>
    Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// A page of a topic's confirmed subscriptions, the Sender's fan-out: those whose id is after
    /// <paramref name="after"/> (from the first when null) and at most <paramref name="through"/> (no bound when
    /// null), in id order, at most <paramref name="limit"/>.
    /// </summary>
    Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the subscription and returns it as it was, so callers (the cache) learn its topic without a
    /// second read; null when there was no such subscription. Leaves a tombstone, the subscription and
    /// <paramref name="now"/>, for <see cref="DeletedSubscription.Retention"/>.
    /// </summary>
    Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The tombstone of a subscription deleted less than <see cref="DeletedSubscription.Retention"/> ago;
    /// null when there is none. A subscription that exists has no tombstone.
    /// </summary>
    Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the subscription's permanent delivery failure (replacing any earlier one), or clears it with
    /// null; returns the updated subscription, null when there is no such subscription.
    /// </summary>
    Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the subscription's signing secrets (callers compute the rotation from what they read:
    /// concurrent rotations are last-writer-wins); returns the updated subscription, null when there is none.
    /// </summary>
    Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken);

    /// <summary>
    /// Disables a confirmed subscription (status <see cref="SubscriptionStatus.Disabled"/>, with
    /// <paramref name="reason"/>), or, with null, enables a disabled one again (status
    /// <see cref="SubscriptionStatus.Confirmed"/>, reason cleared, <see cref="Subscription.ConfirmedAt"/> now: the
    /// time from which <c>Notify:Delivery:DisableAfter</c> counts again). Idempotent; a pending subscription is
    /// returned unchanged. Returns the subscription as it now is, null when there is none. A disabled
    /// subscription is not in <see cref="GetSubscriberPageAsync"/>.
    /// </summary>
    Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the pending subscriptions expired at <paramref name="now"/> and the tombstones older than
    /// <see cref="DeletedSubscription.Retention"/>; returns how many it deleted. Reads ignore both already:
    /// this only frees their space, and an engine that expires items by itself deletes nothing here.
    /// </summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Opts an E.164 phone number out of every SMS subscription (optedOut true, after an inbound STOP), or back in (false, after START). Idempotent. Applies to the number's present and future subscriptions, whatever their topic.</summary>
    Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="phoneNumbers"/> are opted out (an empty set for none); consistent with the latest SetSmsOptOutAsync.</summary>
    Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken);
}
