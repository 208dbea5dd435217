using System.ComponentModel.DataAnnotations;

namespace Notify.Shared.Configuration;

/// <summary>
/// What the email and SMS channels share: how fast and how many at once they may call their provider,
/// and how a failed call is retried. Providers rate-limit accounts (Twilio queues or refuses beyond its
/// per-number rate; SMTP relays throttle), so a burst is paced here rather than refused there; and each
/// channel has its own bulkhead, so a slow provider only ever holds its own channel's deliveries.
/// </summary>
public abstract class ProviderChannelOptions
{
    /// <summary>Calls to the provider per second, at most (a token bucket holding one second of calls).</summary>
    [Range(0.01, 10_000)]
    public double MaxPerSecond { get; set; } = 10;

    /// <summary>Deliveries of this channel running at once on a Sender (its bulkhead).</summary>
    /// <value>The default is 4.</value>
    [Range(1, 1_000)]
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>
    /// Attempts of a confirmation email, the first included, before a transient failure is given up.
    /// Notifications follow their retry schedule instead (<c>Notify:Delivery:Email:RetrySeconds</c>, <c>Sms</c>).
    /// </summary>
    /// <value>The default is 5.</value>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// For confirmation emails, the base of Polly's exponential backoff with jitter: the first two retries wait about this long
    /// (their median), each later one about twice as long as the one before; every wait is random, from
    /// zero to about twice its median.
    /// </summary>
    /// <value>The default is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>No retry waits longer than this, not even when the provider's Retry-After asks for more.</summary>
    /// <value>The default is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one call to the provider may take before it counts as failed and is retried.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
