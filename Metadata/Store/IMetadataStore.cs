using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>
/// Topics, subscriptions, and the list of phone numbers opted out of SMS. Creates are idempotent:
/// creating what exists returns the existing item with <c>Created = false</c>. Cursors are opaque strings
/// produced by the store itself.
/// </summary>
public interface IMetadataStore
{
    Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>Topics in name order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Deletes the topic and all its subscriptions; false when there was no such topic.</summary>
    Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="candidate"/> unless the topic already has a subscription with the same
    /// protocol and endpoint, which is then returned with <c>Created = false</c>.
    /// </summary>
    /// <exception cref="TopicNotFoundException">The topic does not exist.</exception>
    Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken);

    Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Subscriptions of a topic in creation order.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Marks the subscription confirmed (idempotent); null when there is no such subscription.</summary>
    Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every confirmed subscription of a topic: the Sender's fan-out list.</summary>
    Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(string topic, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the subscription and returns it as it was, so callers (the cache) learn its topic without
    /// a second read; null when there was no such subscription.
    /// </summary>
    Task<Subscription?> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a permanent delivery failure on the subscription (replacing any earlier one); returns the updated subscription, null when there is no such subscription.</summary>
    Task<Subscription?> RecordDeliveryErrorAsync(string id, DeliveryError error, CancellationToken cancellationToken);

    /// <summary>Opts an E.164 phone number out of every SMS subscription (optedOut true, after an inbound STOP), or back in (false, after START). Idempotent. Applies to the number's present and future subscriptions, whatever their topic.</summary>
    Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="phoneNumbers"/> are opted out (an empty set for none); consistent with the latest SetSmsOptOutAsync.</summary>
    Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken);
}
