using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using static Notify.Metadata.Store.DynamoDb.MetadataItems;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// The rule of <see cref="SubscriptionExpiry.IsExpired"/> as a DynamoDB expression: true for a subscription
/// item that has not expired at a given time. A filter on queries, and part of the condition of every write
/// that must not touch an expired subscription (confirm, updates, delete).
/// </summary>
internal static class LiveSubscription
{
    public const string Condition = "(#status = :confirmed OR attribute_not_exists(#expiresAt) OR #expiresAt > :now)";

    /// <summary>
    /// The condition of a write to one subscription: its item still holds that subscription's id (not a later
    /// subscription of the same endpoint), and it has not expired.
    /// </summary>
    public const string HeldCondition = "#id = :id AND " + Condition;

    /// <summary>Adds the names and values <see cref="Condition"/> uses, for <paramref name="now"/>.</summary>
    public static void Bind(Dictionary<string, string> names, Dictionary<string, AttributeValue> values, DateTimeOffset now)
    {
        names["#status"] = MetadataKeys.Status;
        names["#expiresAt"] = MetadataKeys.ExpiresAt;
        values[":confirmed"] = S(StoredNames.Of(SubscriptionStatus.Confirmed));
        values[":now"] = N(now.ToUnixTimeMilliseconds());
    }

    /// <summary>Adds the names and values <see cref="HeldCondition"/> uses, for subscription <paramref name="id"/> at <paramref name="now"/>.</summary>
    public static void BindHeld(Dictionary<string, string> names, Dictionary<string, AttributeValue> values, string id, DateTimeOffset now)
    {
        names["#id"] = MetadataKeys.SubscriptionId;
        values[":id"] = S(id);
        Bind(names, values, now);
    }
}
