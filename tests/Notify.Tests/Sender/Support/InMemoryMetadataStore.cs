using System.Collections.Concurrent;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// A store double holding subscriptions without topics: what the Sender reads and writes (fan-out lists,
/// delivery errors, SMS opt-outs) and the subscription operations that need no topic (settings, delete with
/// its tombstone, the listing across topics, expiry by its clock). Topic operations are not supported;
/// <see cref="Failure"/> makes the subscription and opt-out operations throw.
/// </summary>
internal sealed class InMemoryMetadataStore(TimeProvider? clock = null) : IMetadataStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, DeletedSubscription> _deleted = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _optedOut = new(StringComparer.Ordinal);

    private int _subscriptionReads;
    private int _subscriberPageReads;

    public Exception? Failure { get; set; }

    /// <summary>How many pages of subscribers were read.</summary>
    public int SubscriberPageReads => Volatile.Read(ref _subscriberPageReads);

    /// <summary>How many times a subscription was read by id.</summary>
    public int SubscriptionReads => Volatile.Read(ref _subscriptionReads);

    public Subscription Add(string id, string topic = "orders", Protocol protocol = Protocol.Webhook,
        SubscriptionStatus status = SubscriptionStatus.Confirmed, string? endpoint = null, string? filterPolicy = null)
    {
        var subscription = new Subscription
        {
            Id = id,
            Topic = topic,
            Protocol = protocol,
            Endpoint = endpoint ?? $"https://hooks.example/{id}",
            Status = status,
            CreatedAt = DateTimeOffset.UnixEpoch,
            FilterPolicy = filterPolicy,
        };
        _subscriptions[id] = subscription;
        return subscription;
    }

    public Task<SubscriberPage> GetSubscriberPageAsync(string topic, string? after, string? through, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _subscriberPageReads);
        return Answer(() => SubscriberPage.Of(
            Live()
                .Where(s => s.Topic == topic && s.Status == SubscriptionStatus.Confirmed)
                .Where(s => string.CompareOrdinal(s.Id, after ?? "") > 0 && (through is null || string.CompareOrdinal(s.Id, through) <= 0))
                .OrderBy(s => s.Id, StringComparer.Ordinal)
                .Take(limit == int.MaxValue ? int.MaxValue : limit + 1)
                .ToArray(),
            limit));
    }

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _subscriptionReads);
        return Answer(() => _subscriptions.TryGetValue(id, out var s) && !s.IsExpired(_clock.GetUtcNow()) ? s : null);
    }

    public Task<Page<Subscription>> ListAllSubscriptionsAsync(SubscriptionQuery query, int limit, string? cursor, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            var after = ListPosition.FromCursor(query, cursor);
            var matching = Live()
                .Where(s => (query.Topic is null || s.Topic == query.Topic)
                    && (query.Protocol is null || s.Protocol == query.Protocol)
                    && (query.Status is null || s.Status == query.Status))
                .Where(s => after is null || IsAfter(s, after))
                .OrderBy(s => s.Topic, StringComparer.Ordinal)
                .ThenBy(s => s.Id, StringComparer.Ordinal)
                .Take(limit + 1)
                .ToList();
            return PageCut.ToPage(matching, limit, s => new ListPosition(s.Topic, s.Id).ToCursor(query));
        });

    public Task<Subscription?> UpdateSubscriptionAsync(string id, SubscriptionSettings settings, CancellationToken cancellationToken) =>
        Answer(() => Change(id, s => s with { FilterPolicy = settings.FilterPolicy, DeliveryPolicy = settings.DeliveryPolicy }));

    // Only a confirmed subscription is disabled and only a disabled one enabled; others are returned as they are.
    public Task<Subscription?> SetDisabledAsync(string id, DeliveryError? reason, CancellationToken cancellationToken) =>
        Answer(() => Change(id, s => (s.Status, reason) switch
        {
            (SubscriptionStatus.Confirmed, not null) => s with { Status = SubscriptionStatus.Disabled, DisabledReason = reason },
            (SubscriptionStatus.Disabled, null) => s with { Status = SubscriptionStatus.Confirmed, DisabledReason = null, ConfirmedAt = _clock.GetUtcNow() },
            _ => s,
        }));

    public Task<Subscription?> SetDeliveryErrorAsync(string id, DeliveryError? error, CancellationToken cancellationToken) =>
        Answer(() => Change(id, s => s with { LastDeliveryError = error }));

    public Task<Subscription?> SetSigningSecretsAsync(string id, SigningSecrets secrets, CancellationToken cancellationToken) =>
        Answer(() => Change(id, s => s with { SigningSecrets = secrets }));

    public Task<Subscription?> DeleteSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            if (!_subscriptions.TryGetValue(id, out var current) || current.IsExpired(_clock.GetUtcNow())
                || !_subscriptions.TryRemove(new KeyValuePair<string, Subscription>(id, current)))
            {
                return null;
            }

            _deleted[id] = new DeletedSubscription(current with { SigningSecrets = null }, now);
            return current;
        });

    public Task<DeletedSubscription?> GetDeletedSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        Answer(() => _deleted.TryGetValue(id, out var d) && d.DeletedAt + DeletedSubscription.Retention > _clock.GetUtcNow() ? d : null);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Answer(() =>
            _subscriptions.Where(p => p.Value.IsExpired(now)).Count(p => _subscriptions.TryRemove(p))
            + _deleted.Where(p => p.Value.DeletedAt + DeletedSubscription.Retention <= now).Count(p => _deleted.TryRemove(p)));

    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken) =>
        Answer(() =>
        {
            if (optedOut)
            {
                _optedOut.TryAdd(phoneNumber, now);
            }
            else
            {
                _optedOut.TryRemove(phoneNumber, out _);
            }

            return true;
        });

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken) =>
        Answer<IReadOnlySet<string>>(() => phoneNumbers.Where(_optedOut.ContainsKey).ToHashSet(StringComparer.Ordinal));

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(Topic topic, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Topic?> UpdateTopicAsync(string name, TopicSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    private IEnumerable<Subscription> Live()
    {
        var now = _clock.GetUtcNow();
        return _subscriptions.Values.Where(s => !s.IsExpired(now));
    }

    private static bool IsAfter(Subscription subscription, ListPosition position)
    {
        var byTopic = string.CompareOrdinal(subscription.Topic, position.Topic);
        return byTopic > 0 || (byTopic == 0 && position.LastId is not null && string.CompareOrdinal(subscription.Id, position.LastId) > 0);
    }

    /// <summary>Applies <paramref name="change"/> to a live subscription, atomically against other changes; null when there is none.</summary>
    private Subscription? Change(string id, Func<Subscription, Subscription> change)
    {
        while (_subscriptions.TryGetValue(id, out var current) && !current.IsExpired(_clock.GetUtcNow()))
        {
            var updated = change(current);
            if (_subscriptions.TryUpdate(id, updated, current))
            {
                return updated;
            }
        }

        return null;
    }

    private Task<T> Answer<T>(Func<T> answer) =>
        Failure is { } failure ? Task.FromException<T>(failure) : Task.FromResult(answer());
}
