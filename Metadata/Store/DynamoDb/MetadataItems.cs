using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using Notify.Shared.Links;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Topics, subscriptions, tombstones and SMS opt-outs to and from their items. Times are Unix
/// milliseconds, as in the SQLite store, except the TTL attribute (epoch seconds, as DynamoDB reads it).
/// </summary>
internal static class MetadataItems
{
    /// <summary>A topic as stored, with the incarnation its subscriptions are filed under.</summary>
    public sealed record StoredTopic(Topic Topic, string Incarnation);

    /// <summary>Where a subscription id points: read from its lookup item.</summary>
    /// <param name="Expires">The lookup carries the TTL attribute: its subscription was pending with an expiry when written.</param>
    public sealed record Pointer(string Topic, string Incarnation, string SortKey, bool Expires)
    {
        public Dictionary<string, AttributeValue> SubscriptionKey => MetadataKeys.Subscription(Topic, Incarnation, SortKey);
    }

    public static Dictionary<string, AttributeValue> TopicItem(Topic topic, string incarnation)
    {
        var item = MetadataKeys.Topic(topic.Name);
        item[MetadataKeys.TopicList] = S(MetadataKeys.AllTopics);
        item[MetadataKeys.TopicName] = S(topic.Name);
        item[MetadataKeys.CreatedAt] = N(topic.CreatedAt.ToUnixTimeMilliseconds());
        item[MetadataKeys.Incarnation] = S(incarnation);
        if (topic.DisplayName is { } displayName)
        {
            item[MetadataKeys.DisplayName] = S(displayName);
        }

        if (topic.Retention is { } retention)
        {
            item[MetadataKeys.RetentionSeconds] = N((long)retention.TotalSeconds);
        }

        return item;
    }

    public static StoredTopic ReadTopic(Dictionary<string, AttributeValue> item) =>
        new(
            new Topic(item[MetadataKeys.TopicName].S, Time(item[MetadataKeys.CreatedAt]))
            {
                DisplayName = item.TryGetValue(MetadataKeys.DisplayName, out var displayName) ? displayName.S : null,
                Retention = item.TryGetValue(MetadataKeys.RetentionSeconds, out var retention)
                    ? TimeSpan.FromSeconds(long.Parse(retention.N, CultureInfo.InvariantCulture))
                    : null,
            },
            item[MetadataKeys.Incarnation].S);

    public static Dictionary<string, AttributeValue> SubscriptionItem(Subscription subscription, string incarnation)
    {
        var protocol = StoredNames.Of(subscription.Protocol);
        var item = MetadataKeys.Subscription(subscription.Topic, incarnation, MetadataKeys.SubscriptionSortKey(protocol, subscription.Endpoint));
        item[MetadataKeys.SubscriptionId] = S(subscription.Id);
        item[MetadataKeys.TopicName] = S(subscription.Topic);
        item[MetadataKeys.Protocol] = S(protocol);
        item[MetadataKeys.Endpoint] = S(subscription.Endpoint);
        item[MetadataKeys.Status] = S(StoredNames.Of(subscription.Status));
        if (subscription.ConfirmTokenHash is { } confirmHash)
        {
            item[MetadataKeys.ConfirmTokenHash] = S(confirmHash);
        }

        if (subscription.UnsubscribeTokenHash is { } unsubscribeHash)
        {
            item[MetadataKeys.UnsubscribeTokenHash] = S(unsubscribeHash);
        }

        item[MetadataKeys.CreatedAt] = N(subscription.CreatedAt.ToUnixTimeMilliseconds());
        if (subscription.ConfirmedAt is { } confirmedAt)
        {
            item[MetadataKeys.ConfirmedAt] = N(confirmedAt.ToUnixTimeMilliseconds());
        }

        if (subscription.LastDeliveryError is { } error)
        {
            item[MetadataKeys.DeliveryErrorCode] = S(error.Code);
            item[MetadataKeys.DeliveryErrorDetail] = S(error.Detail);
            item[MetadataKeys.DeliveryErrorAt] = N(error.At.ToUnixTimeMilliseconds());
        }

        if (subscription.FilterPolicy is { } filterPolicy)
        {
            item[MetadataKeys.FilterPolicy] = S(filterPolicy);
        }

        if (subscription.ExpiresAt is { } expiresAt)
        {
            item[MetadataKeys.ExpiresAt] = N(expiresAt.ToUnixTimeMilliseconds());
        }

        if (subscription.DeliveryPolicy?.RetrySeconds is { } retrySeconds)
        {
            item[MetadataKeys.RetrySeconds] = RetryList(retrySeconds);
        }

        if (subscription.DeliveryPolicy?.MaxPerSecond is { } maxPerSecond)
        {
            item[MetadataKeys.MaxPerSecond] = N(maxPerSecond);
        }

        if (subscription.DisabledReason is { } reason)
        {
            item[MetadataKeys.DisabledCode] = S(reason.Code);
            item[MetadataKeys.DisabledDetail] = S(reason.Detail);
            item[MetadataKeys.DisabledAt] = N(reason.At.ToUnixTimeMilliseconds());
        }

        if (subscription.SigningSecrets is { } secrets)
        {
            item[MetadataKeys.SigningSecrets] = S(StoredSigningSecrets.Format(secrets));
        }

        AddTimeToLive(item, subscription);
        return item;
    }

    public static Subscription ReadSubscription(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item[MetadataKeys.SubscriptionId].S,
        Topic = item[MetadataKeys.TopicName].S,
        Protocol = StoredNames.ParseProtocol(item[MetadataKeys.Protocol].S),
        Endpoint = item[MetadataKeys.Endpoint].S,
        Status = StoredNames.ParseStatus(item[MetadataKeys.Status].S),
        ConfirmTokenHash = TokenHash(item, MetadataKeys.ConfirmTokenHash, MetadataKeys.ConfirmToken),
        UnsubscribeTokenHash = TokenHash(item, MetadataKeys.UnsubscribeTokenHash, MetadataKeys.UnsubscribeToken),
        CreatedAt = Time(item[MetadataKeys.CreatedAt]),
        ConfirmedAt = item.TryGetValue(MetadataKeys.ConfirmedAt, out var confirmedAt) ? Time(confirmedAt) : null,
        LastDeliveryError = item.TryGetValue(MetadataKeys.DeliveryErrorCode, out var code)
            ? new DeliveryError(code.S, item[MetadataKeys.DeliveryErrorDetail].S, Time(item[MetadataKeys.DeliveryErrorAt]))
            : null,
        FilterPolicy = item.TryGetValue(MetadataKeys.FilterPolicy, out var filterPolicy) ? filterPolicy.S : null,
        ExpiresAt = item.TryGetValue(MetadataKeys.ExpiresAt, out var expiresAt) ? Time(expiresAt) : null,
        DeliveryPolicy = ReadDeliveryPolicy(item),
        DisabledReason = item.TryGetValue(MetadataKeys.DisabledCode, out var disabledCode)
            ? new DeliveryError(disabledCode.S, item[MetadataKeys.DisabledDetail].S, Time(item[MetadataKeys.DisabledAt]))
            : null,
        SigningSecrets = item.TryGetValue(MetadataKeys.SigningSecrets, out var secrets) ? StoredSigningSecrets.Parse(secrets.S) : null,
    };

    /// <summary>
    /// The hash of a token issued before tokens were derived: items written since hold the hash, items
    /// written before hold the plain token (in <paramref name="plainKey"/>), hashed here as it is read.
    /// Items rewritten whole (a tombstone, a replaced subscription) then keep only the hash.
    /// </summary>
    private static string? TokenHash(Dictionary<string, AttributeValue> item, string hashKey, string plainKey) =>
        item.TryGetValue(hashKey, out var hash) ? hash.S
        : item.TryGetValue(plainKey, out var plain) ? LinkTokens.Hash(plain.S)
        : null;

    /// <summary>A retry schedule as a list of numbers; an empty list (no retry) is a schedule too.</summary>
    public static AttributeValue RetryList(IReadOnlyList<int> seconds) =>
        new() { L = [.. seconds.Select(s => N(s))] };

    /// <summary>A rate as a number attribute, written so that it reads back as the same double.</summary>
    public static AttributeValue N(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    /// <summary>A policy stored with neither member is no policy, as in the SQLite store.</summary>
    private static DeliveryPolicy? ReadDeliveryPolicy(Dictionary<string, AttributeValue> item)
    {
        IReadOnlyList<int>? retry = item.TryGetValue(MetadataKeys.RetrySeconds, out var list)
            ? [.. (list.L ?? []).Select(v => int.Parse(v.N, CultureInfo.InvariantCulture))]
            : null;
        double? rate = item.TryGetValue(MetadataKeys.MaxPerSecond, out var number)
            ? double.Parse(number.N, CultureInfo.InvariantCulture)
            : null;
        return retry is null && rate is null ? null : new DeliveryPolicy(retry, rate);
    }

    public static Dictionary<string, AttributeValue> LookupItem(Subscription subscription, string incarnation)
    {
        var item = MetadataKeys.Lookup(subscription.Id);
        item[MetadataKeys.TopicName] = S(subscription.Topic);
        item[MetadataKeys.Incarnation] = S(incarnation);
        item[MetadataKeys.SubscriptionKey] = S(MetadataKeys.SubscriptionSortKey(StoredNames.Of(subscription.Protocol), subscription.Endpoint));
        AddTimeToLive(item, subscription);
        return item;
    }

    public static Pointer ReadLookup(Dictionary<string, AttributeValue> item) =>
        new(item[MetadataKeys.TopicName].S, item[MetadataKeys.Incarnation].S, item[MetadataKeys.SubscriptionKey].S,
            item.ContainsKey(MetadataKeys.TimeToLive));

    /// <summary>
    /// The tombstone of a deleted subscription: its item's attributes as they were, under the tombstone's
    /// key, with the time of the delete and the TTL that ends the tombstone's retention.
    /// </summary>
    public static Dictionary<string, AttributeValue> TombstoneItem(Dictionary<string, AttributeValue> subscriptionItem, DateTimeOffset deletedAt)
    {
        var item = new Dictionary<string, AttributeValue>(subscriptionItem);

        // A deleted subscription signs nothing: its secrets are not kept. An item written before tokens were
        // derived holds plain tokens: the tombstone keeps their hashes only.
        item.Remove(MetadataKeys.SigningSecrets);
        KeepTokenHashOnly(item, MetadataKeys.ConfirmTokenHash, MetadataKeys.ConfirmToken);
        KeepTokenHashOnly(item, MetadataKeys.UnsubscribeTokenHash, MetadataKeys.UnsubscribeToken);
        foreach (var (name, value) in MetadataKeys.Tombstone(item[MetadataKeys.SubscriptionId].S))
        {
            item[name] = value;
        }

        item[MetadataKeys.DeletedAt] = N(deletedAt.ToUnixTimeMilliseconds());
        item[MetadataKeys.TimeToLive] = EpochSeconds(deletedAt + DeletedSubscription.Retention);
        return item;
    }

    private static void KeepTokenHashOnly(Dictionary<string, AttributeValue> item, string hashKey, string plainKey)
    {
        if (TokenHash(item, hashKey, plainKey) is { } hash)
        {
            item[hashKey] = S(hash);
        }

        item.Remove(plainKey);
    }

    public static DeletedSubscription ReadTombstone(Dictionary<string, AttributeValue> item) =>
        new(ReadSubscription(item), Time(item[MetadataKeys.DeletedAt]));

    /// <summary>The phone number an opt-out item is for.</summary>
    public static string ReadOptedOutNumber(Dictionary<string, AttributeValue> item) => item[MetadataKeys.PhoneNumber].S;

    /// <summary>
    /// The TTL attribute for <paramref name="at"/>: epoch seconds rounded up, so that DynamoDB never deletes
    /// an item before the time readers go by.
    /// </summary>
    public static AttributeValue EpochSeconds(DateTimeOffset at) => N((at.ToUnixTimeMilliseconds() + 999) / 1000);

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A pending subscription with an expiry, and its lookup, are left to DynamoDB's TTL to delete.</summary>
    private static void AddTimeToLive(Dictionary<string, AttributeValue> item, Subscription subscription)
    {
        if (subscription.Status == SubscriptionStatus.Pending && subscription.ExpiresAt is { } expiresAt)
        {
            item[MetadataKeys.TimeToLive] = EpochSeconds(expiresAt);
        }
    }

    private static DateTimeOffset Time(AttributeValue value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value.N, CultureInfo.InvariantCulture));
}
