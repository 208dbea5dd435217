using Amazon.DynamoDBv2.Model;

namespace Notify.Metadata.Deliveries.DynamoDb;

/// <summary>
/// Attribute names, index names and keys of the deliveries table. The partition key's prefix keeps the
/// kinds of item apart (<c>dl#</c>, <c>retry#</c>, <c>msg#</c>, <c>stats#</c>); ids and scopes hold no <c>#</c>
/// that could make two kinds collide, since the prefix comes first. Times are Unix milliseconds (N).
/// </summary>
internal static class DeliveryKeys
{
    public const string Pk = "pk";
    public const string Sk = "sk";

    /// <summary>The TTL attribute (N, epoch seconds, as DynamoDB's TTL requires) on every item that expires.</summary>
    public const string TimeToLive = "ttl";

    /// <summary>LSI range key, on retry items only: a subscription's retries in next-attempt order.</summary>
    public const string NextAttemptAt = "nextAttemptAt";

    /// <summary>GSI hash key, on retry items only (so the index holds nothing else): a message's retries.</summary>
    public const string RetryMessageId = "retryMessageId";

    public const string RetriesByNextAttempt = "retries-by-next-attempt";
    public const string RetriesByMessage = "retries-by-message";

    public const string SubscriptionId = "subscriptionId";
    public const string MessageId = "messageId";
    public const string TopicName = "topic";
    public const string PublishedAt = "publishedAt";
    public const string Envelope = "envelope";
    public const string Attempts = "attempts";
    public const string LastError = "lastError";
    public const string Permanent = "permanent";
    public const string DeadLetteredAt = "deadLetteredAt";
    public const string ExpiresAt = "expiresAt";
    public const string NextAttempt = "nextAttempt";

    public const string Subscribers = "subscribers";
    public const string Delivered = "delivered";
    public const string Retrying = "retrying";
    public const string DeadLettered = "deadLettered";
    public const string Published = "published";
    public const string Retried = "retried";
    public const string LastSuccessAt = "lastSuccessAt";
    public const string LastSuccessError = "lastSuccessError";
    public const string LastFailureAt = "lastFailureAt";
    public const string LastFailureError = "lastFailureError";
    public const string FailingSince = "failingSince";

    public static string DeadLettersOf(string subscriptionId) => "dl#" + subscriptionId;

    public static string RetriesOf(string subscriptionId) => "retry#" + subscriptionId;

    public static string StatsOf(StatsScope scope) => "stats#" + scope;

    /// <summary>The sort key of a stats bucket: <c>m#yyyyMMddHHmm</c> (UTC), so a range of minutes is a range of keys.</summary>
    public static string MinuteKey(DateTimeOffset minute) => "m#" + minute.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);

    public const string TotalKey = "total";

    public static Dictionary<string, AttributeValue> DeadLetter(string subscriptionId, string messageId) => Key(DeadLettersOf(subscriptionId), messageId);

    public static Dictionary<string, AttributeValue> Retry(string subscriptionId, string messageId) => Key(RetriesOf(subscriptionId), messageId);

    public static Dictionary<string, AttributeValue> Outcome(string messageId) => Key("msg#" + messageId, "outcome");

    public static Dictionary<string, AttributeValue> Total(StatsScope scope) => Key(StatsOf(scope), TotalKey);

    public static Dictionary<string, AttributeValue> Minute(StatsScope scope, DateTimeOffset minute) => Key(StatsOf(scope), MinuteKey(minute));

    public static Dictionary<string, AttributeValue> Key(string pk, string sk) => new()
    {
        [Pk] = new AttributeValue { S = pk },
        [Sk] = new AttributeValue { S = sk },
    };

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static AttributeValue Time(DateTimeOffset time) => N(time.ToUnixTimeMilliseconds());

    /// <summary>The TTL value of an item that expires at <paramref name="time"/>: whole seconds, rounded up.</summary>
    public static AttributeValue Ttl(DateTimeOffset time) => N((time.ToUnixTimeMilliseconds() + 999) / 1000);

    public static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 0;

    public static DateTimeOffset TimeOf(Dictionary<string, AttributeValue> item, string name) => DateTimeOffset.FromUnixTimeMilliseconds(Long(item, name));

    public static string? StringOf(Dictionary<string, AttributeValue> item, string name) => item.TryGetValue(name, out var value) ? value.S : null;
}
