using System.Collections.Concurrent;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Tests.Sender.Support;

/// <summary>
/// A tiny store double with only what the Sender uses: its two reads, delivery errors and SMS opt-outs;
/// <see cref="Failure"/> makes each of them throw.
/// </summary>
internal sealed class InMemoryMetadataStore : IMetadataStore
{
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _optedOut = new(StringComparer.Ordinal);

    public Exception? Failure { get; set; }

    public Subscription Add(string id, string topic = "orders", Protocol protocol = Protocol.Webhook,
        SubscriptionStatus status = SubscriptionStatus.Confirmed, string? endpoint = null)
    {
        var subscription = new Subscription
        {
            Id = id,
            Topic = topic,
            Protocol = protocol,
            Endpoint = endpoint ?? $"https://hooks.example/{id}",
            Status = status,
            ConfirmToken = $"confirm-{id}",
            UnsubscribeToken = $"unsubscribe-{id}",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        _subscriptions[id] = subscription;
        return subscription;
    }

    public Task<IReadOnlyList<Subscription>> GetConfirmedSubscriptionsAsync(string topic, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<IReadOnlyList<Subscription>>(failure);
        }

        IReadOnlyList<Subscription> confirmed = _subscriptions.Values
            .Where(s => s.Topic == topic && s.Status == SubscriptionStatus.Confirmed)
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToArray();
        return Task.FromResult(confirmed);
    }

    public Task<Subscription?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        Failure is { } failure
            ? Task.FromException<Subscription?>(failure)
            : Task.FromResult(_subscriptions.GetValueOrDefault(id));

    public Task<(Topic Topic, bool Created)> CreateTopicAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Topic?> GetTopicAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Page<Topic>> ListTopicsAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<bool> DeleteTopicAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<(Subscription Subscription, bool Created)> SubscribeAsync(Subscription candidate, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Page<Subscription>> ListSubscriptionsAsync(string topic, int limit, string? cursor, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Subscription?> ConfirmSubscriptionAsync(string id, DateTimeOffset now, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<Subscription?> DeleteSubscriptionAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<Subscription?> RecordDeliveryErrorAsync(string id, DeliveryError error, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<Subscription?>(failure);
        }

        while (_subscriptions.TryGetValue(id, out var current))
        {
            var updated = current with { LastDeliveryError = error };
            if (_subscriptions.TryUpdate(id, updated, current))
            {
                return Task.FromResult<Subscription?>(updated);
            }
        }

        return Task.FromResult<Subscription?>(null);
    }

    public Task SetSmsOptOutAsync(string phoneNumber, bool optedOut, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException(failure);
        }

        if (optedOut)
        {
            _optedOut.TryAdd(phoneNumber, now);
        }
        else
        {
            _optedOut.TryRemove(phoneNumber, out _);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> GetSmsOptedOutAsync(IReadOnlyCollection<string> phoneNumbers, CancellationToken cancellationToken)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<IReadOnlySet<string>>(failure);
        }

        IReadOnlySet<string> optedOut = phoneNumbers.Where(_optedOut.ContainsKey).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(optedOut);
    }
}
