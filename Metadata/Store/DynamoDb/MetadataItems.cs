using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Topics, subscriptions and SMS opt-outs to and from their items. Times are Unix milliseconds, as in the
/// SQLite store.
/// </summary>
internal static class MetadataItems
{
    /// <summary>A topic as stored, with the incarnation its subscriptions are filed under.</summary>
    public sealed record StoredTopic(Topic Topic, string Incarnation);

    /// <summary>Where a subscription id points: read from its lookup item.</summary>
    public sealed record Pointer(string Topic, string Incarnation, string SortKey)
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
        return item;
    }

    public static StoredTopic ReadTopic(Dictionary<string, AttributeValue> item) =>
        new(new Topic(item[MetadataKeys.TopicName].S, Time(item[MetadataKeys.CreatedAt])), item[MetadataKeys.Incarnation].S);

    public static Dictionary<string, AttributeValue> SubscriptionItem(Subscription subscription, string incarnation)
    {
        var protocol = StoredNames.Of(subscription.Protocol);
        var item = MetadataKeys.Subscription(subscription.Topic, incarnation, MetadataKeys.SubscriptionSortKey(protocol, subscription.Endpoint));
        item[MetadataKeys.SubscriptionId] = S(subscription.Id);
        item[MetadataKeys.TopicName] = S(subscription.Topic);
        item[MetadataKeys.Protocol] = S(protocol);
        item[MetadataKeys.Endpoint] = S(subscription.Endpoint);
        item[MetadataKeys.Status] = S(StoredNames.Of(subscription.Status));
        item[MetadataKeys.ConfirmToken] = S(subscription.ConfirmToken);
        item[MetadataKeys.UnsubscribeToken] = S(subscription.UnsubscribeToken);
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

        return item;
    }

    public static Subscription ReadSubscription(Dictionary<string, AttributeValue> item) => new()
    {
        Id = item[MetadataKeys.SubscriptionId].S,
        Topic = item[MetadataKeys.TopicName].S,
        Protocol = StoredNames.ParseProtocol(item[MetadataKeys.Protocol].S),
        Endpoint = item[MetadataKeys.Endpoint].S,
        Status = StoredNames.ParseStatus(item[MetadataKeys.Status].S),
        ConfirmToken = item[MetadataKeys.ConfirmToken].S,
        UnsubscribeToken = item[MetadataKeys.UnsubscribeToken].S,
        CreatedAt = Time(item[MetadataKeys.CreatedAt]),
        ConfirmedAt = item.TryGetValue(MetadataKeys.ConfirmedAt, out var confirmedAt) ? Time(confirmedAt) : null,
        LastDeliveryError = item.TryGetValue(MetadataKeys.DeliveryErrorCode, out var code)
            ? new DeliveryError(code.S, item[MetadataKeys.DeliveryErrorDetail].S, Time(item[MetadataKeys.DeliveryErrorAt]))
            : null,
    };

    public static Dictionary<string, AttributeValue> LookupItem(Subscription subscription, string incarnation)
    {
        var item = MetadataKeys.Lookup(subscription.Id);
        item[MetadataKeys.TopicName] = S(subscription.Topic);
        item[MetadataKeys.Incarnation] = S(incarnation);
        item[MetadataKeys.SubscriptionKey] = S(MetadataKeys.SubscriptionSortKey(StoredNames.Of(subscription.Protocol), subscription.Endpoint));
        return item;
    }

    public static Pointer ReadLookup(Dictionary<string, AttributeValue> item) =>
        new(item[MetadataKeys.TopicName].S, item[MetadataKeys.Incarnation].S, item[MetadataKeys.SubscriptionKey].S);

    /// <summary>The phone number an opt-out item is for.</summary>
    public static string ReadOptedOutNumber(Dictionary<string, AttributeValue> item) => item[MetadataKeys.PhoneNumber].S;

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    private static DateTimeOffset Time(AttributeValue value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value.N, CultureInfo.InvariantCulture));
}
