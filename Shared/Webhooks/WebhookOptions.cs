using System.ComponentModel.DataAnnotations;

namespace Notify.Shared.Webhooks;

/// <summary>How webhooks are called (section <c>Notify:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Notify:Webhooks";

    /// <summary>
    /// Allow endpoints on addresses that are not globally reachable (loopback, private, link-local,
    /// documentation, cloud metadata and the other special-purpose blocks in docs/webhooks.md).
    /// Left unset, it is true in the Development environment and false elsewhere, so a production
    /// service cannot be turned against its own network.
    /// </summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Refuse <c>http://</c> endpoints: when subscribing (400) and when sending (the delivery fails without
    /// retrying). Left unset, it is true everywhere but in the Development environment, so notifications
    /// and their signatures do not cross networks in clear text.
    /// </summary>
    public bool? RequireHttps { get; set; }

    /// <summary>How long one attempt may take before it counts as failed and is retried.</summary>
    /// <value>The default is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Attempts of a confirmation request, the first included, before it is given up. Notifications follow
    /// their retry schedule instead (<c>Notify:Delivery:Webhook:RetrySeconds</c>).
    /// </summary>
    /// <value>The default is 6 attempts.</value>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// For confirmation requests, the base of Polly's exponential backoff with jitter: the first two retries wait about this long
    /// (their median), each later one about twice as long as the one before; every wait is random, from
    /// zero to about twice its median.
    /// </summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No retry waits longer than this, not even when the endpoint's Retry-After asks for more.</summary>
    /// <value>The default is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After <c>POST /v1/subscriptions/{id}/secret/rotate</c>, how long deliveries are still signed with the
    /// previous secret as well as the new one, so that receivers can change their secret without refusing
    /// a delivery. Zero ends the previous secret at once.
    /// </summary>
    /// <value>The default is 24 hours.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);
}
