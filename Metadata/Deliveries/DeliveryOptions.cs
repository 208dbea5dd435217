using System.ComponentModel.DataAnnotations;

namespace Notify.Metadata.Deliveries;

/// <summary>How deliveries are retried, kept and counted (section <c>Notify:Delivery</c>).</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string SectionName = "Notify:Delivery";

    /// <summary>Webhook retries: 8 attempts over about 27 hours, as Svix.</summary>
    public ProtocolDelivery Webhook { get; set; } = new() { RetrySeconds = "5,300,1800,7200,18000,36000,36000" };

    /// <summary>
    /// Email retries, modelled on SNS's retries for endpoints it manages (immediate, then backoff), cut
    /// short of its weeks-long tail: an email a day late is rarely wanted. 13 attempts over about 1.5 hours.
    /// </summary>
    public ProtocolDelivery Email { get; set; } = new() { RetrySeconds = "0,1,1,2,4,8,16,20,60,300,1800,3600" };

    /// <summary>SMS retries, as email's but ending sooner: a text an hour late is worse than none. 11 attempts over about 6.5 minutes.</summary>
    public ProtocolDelivery Sms { get; set; } = new() { RetrySeconds = "0,1,1,2,4,8,16,20,60,300" };

    /// <summary>A subscription whose deliveries fail without a single success for this long is disabled.</summary>
    /// <value>The default is 5 days.</value>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How long dead letters are kept.</summary>
    /// <value>The default is 14 days.</value>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a message's fan-out status can be read.</summary>
    /// <value>The default is 7 days.</value>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan MessageStatusRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Retries due within this long of a failure are waited for in the process that made the attempt (the
    /// delivery keeps its slot); later ones are scheduled on the queue, which any Sender may receive.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan InProcessRetryLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the in-memory stats counters are written to the store (and at shutdown).</summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan StatsFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, protocol) in new[] { ("Webhook", Webhook), ("Email", Email), ("Sms", Sms) })
        {
            if (!RetrySchedule.TryParse(protocol.RetrySeconds, out _, out var problem))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{name}:RetrySeconds must be comma-separated whole seconds: {problem}.",
                    [$"{name}.{nameof(ProtocolDelivery.RetrySeconds)}"]);
            }
        }
    }
}

/// <summary>One protocol's delivery settings.</summary>
public sealed class ProtocolDelivery
{
    /// <summary>The waits before each retry, comma-separated whole seconds (<c>1,1,1,1</c> = 5 attempts).</summary>
    public string RetrySeconds { get; set; } = "";

    /// <summary>The parsed <see cref="RetrySeconds"/>; call after validation.</summary>
    public RetrySchedule Schedule => RetrySchedule.TryParse(RetrySeconds, out var schedule, out var problem)
        ? schedule
        : throw new InvalidOperationException(problem);
}
