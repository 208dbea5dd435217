using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2.Model;

namespace Notify.Metadata.Store.DynamoDb;

/// <summary>
/// Attribute names, index names and keys of the metadata table. Key prefixes keep the five kinds of
/// item apart; topic names cannot hold <c>#</c>, and incarnations are fixed-length hex, so no two kinds
/// of key can collide.
/// </summary>
internal static class MetadataKeys
{
    public const string Pk = "pk";
    public const string Sk = "sk";

    /// <summary>GSI hash key, set on topic items only (one constant value), so the GSI holds only topics.</summary>
    public const string TopicList = "topicList";

    /// <summary>GSI range key on topic items; also kept on subscription and lookup items.</summary>
    public const string TopicName = "topicName";

    /// <summary>LSI range key, set on subscription items only: their creation order inside a topic.</summary>
    public const string SubscriptionId = "subscriptionId";

    public const string TopicsByName = "topics-by-name";
    public const string SubscriptionsById = "subscriptions-by-id";

    public const string CreatedAt = "createdAt";
    public const string Incarnation = "incarnation";
    public const string Protocol = "protocol";
    public const string Endpoint = "endpoint";
    public const string Status = "status";

    /// <summary>
    /// A plain confirm or unsubscribe token (S), only in items written before tokens were derived: read as
    /// its hash, never written.
    /// </summary>
    public const string ConfirmToken = "confirmToken";
    public const string UnsubscribeToken = "unsubscribeToken";

    /// <summary>The SHA-256 of a token issued before tokens were derived (S): absent for the others.</summary>
    public const string ConfirmTokenHash = "confirmTokenHash";
    public const string UnsubscribeTokenHash = "unsubscribeTokenHash";
    public const string ConfirmedAt = "confirmedAt";
    public const string SubscriptionKey = "subscriptionKey";

    /// <summary>The subscription's last permanent delivery error: absent until one is recorded.</summary>
    public const string DeliveryErrorCode = "deliveryErrorCode";
    public const string DeliveryErrorDetail = "deliveryErrorDetail";
    public const string DeliveryErrorAt = "deliveryErrorAt";

    /// <summary>A topic's display name (S): absent when it has none.</summary>
    public const string DisplayName = "displayName";

    /// <summary>A topic's retention for replay, in whole seconds (N); absent when it keeps no messages.</summary>
    public const string RetentionSeconds = "retentionSeconds";

    /// <summary>A subscription's filter policy, JSON text (S): absent when it has none.</summary>
    public const string FilterPolicy = "filterPolicy";

    /// <summary>A subscription's own retry schedule (L of N, possibly empty): absent when it has none.</summary>
    public const string RetrySeconds = "retrySeconds";

    /// <summary>A subscription's own delivery rate limit, per second (N): absent when it has none.</summary>
    public const string MaxPerSecond = "maxPerSecond";

    /// <summary>Why a disabled subscription was disabled: present only while its status is disabled.</summary>
    public const string DisabledCode = "disabledCode";
    public const string DisabledDetail = "disabledDetail";
    public const string DisabledAt = "disabledAt";

    /// <summary>
    /// A webhook subscription's signing secrets (S, <see cref="StoredSigningSecrets"/>): an attribute of its
    /// own, so it can be encrypted alone; absent for other protocols and older webhooks, and never in a tombstone.
    /// </summary>
    public const string SigningSecrets = "signingSecrets";

    /// <summary>When a pending subscription expires unless confirmed (N, Unix milliseconds as every time here): absent once confirmed.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>
    /// The table's TTL attribute (N, epoch seconds, as DynamoDB's TTL requires): on a pending subscription
    /// with an expiry and on its lookup, and on a tombstone. DynamoDB deletes an item some time after it
    /// passed, up to days later; readers go by <see cref="ExpiresAt"/> and <see cref="DeletedAt"/> meanwhile.
    /// </summary>
    public const string TimeToLive = "ttl";

    /// <summary>When a tombstone's subscription was deleted (N).</summary>
    public const string DeletedAt = "deletedAt";

    public const string PhoneNumber = "phoneNumber";
    public const string OptedOutAt = "optedOutAt";

    public const string AllTopics = "all";

    public static Dictionary<string, AttributeValue> Topic(string name) => Key("topic#" + name, "topic");

    /// <summary>
    /// The partition of one incarnation of a topic: its subscriptions. A topic deleted and created again
    /// gets a new incarnation, so whatever a crashed delete left behind never shows under the new one.
    /// </summary>
    public static string SubscriptionsOf(string topic, string incarnation) => $"subs#{incarnation}#{topic}";

    /// <summary>
    /// One subscription per protocol and endpoint in a topic: the sort key is the uniqueness constraint.
    /// The endpoint is hashed because webhook URLs may be 2048 characters and a sort key at most 1024 bytes.
    /// </summary>
    public static string SubscriptionSortKey(string protocol, string endpoint) =>
        $"sub#{protocol}#{Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(endpoint)))}";

    public static Dictionary<string, AttributeValue> Subscription(string topic, string incarnation, string sortKey) =>
        Key(SubscriptionsOf(topic, incarnation), sortKey);

    /// <summary>The id -> (topic, incarnation, sort key) item that finds a subscription by id alone.</summary>
    public static Dictionary<string, AttributeValue> Lookup(string subscriptionId) =>
        Key("subid#" + subscriptionId, "subid");

    /// <summary>What is kept of subscription <paramref name="subscriptionId"/> once it was deleted.</summary>
    public static Dictionary<string, AttributeValue> Tombstone(string subscriptionId) =>
        Key("deleted#" + subscriptionId, "deleted");

    /// <summary>
    /// The item saying that an E.164 number is opted out of SMS. One per number, whatever its topics, so a
    /// STOP is one write that also covers the number's future subscriptions.
    /// </summary>
    public static Dictionary<string, AttributeValue> SmsOptOut(string phoneNumber) =>
        Key("optout#" + phoneNumber, "optout");

    public static string NewIncarnation() => RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [Pk] = new AttributeValue { S = pk },
        [Sk] = new AttributeValue { S = sk },
    };
}
