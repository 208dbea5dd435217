using System.ComponentModel.DataAnnotations;

namespace Notify.Metadata.Expiry;

/// <summary>How long unconfirmed subscriptions live (section <c>Notify:Subscriptions</c>).</summary>
public sealed class SubscriptionOptions
{
    public const string SectionName = "Notify:Subscriptions";

    /// <summary>
    /// A subscription still pending this long after it was made is deleted, as SNS deletes unconfirmed
    /// subscriptions: a confirmation request that nobody answers must not keep an endpoint on a topic.
    /// </summary>
    /// <value>The default is 3 days.</value>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan PendingExpiry { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How often the embedded store deletes expired subscriptions and old unsubscribe records. Expired
    /// ones are invisible at once; this only gives their space back. DynamoDB deletes them itself (TTL).
    /// </summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}
