using System.ComponentModel.DataAnnotations;

namespace Notify.Sender;

/// <summary>How the Sender retrieves and delivers messages (section <c>Notify:Sender</c>).</summary>
public sealed class SenderOptions : IValidatableObject
{
    public const string SectionName = "Notify:Sender";

    /// <summary>Host the Sender's workers inside the Frontend process.</summary>
    /// <value>Unset by default: the Frontend then decides (true in Embedded mode, false in Aws mode).</value>
    public bool? InProcess { get; set; }

    /// <summary>The most retrievers that long-poll the queue at once, reached while every receive is a full batch.</summary>
    /// <value>The default is 4.</value>
    [Range(1, 64)]
    public int MaxRetrievers { get; set; } = 4;

    /// <summary>The retrievers that keep polling an idle queue.</summary>
    /// <value>The default is 1.</value>
    [Range(1, 64)]
    public int MinRetrievers { get; set; } = 1;

    /// <summary>Messages asked for per receive; SQS allows at most 10.</summary>
    /// <value>The default is 10.</value>
    [Range(1, 10)]
    public int ReceiveBatchSize { get; set; } = 10;

    /// <summary>
    /// Webhook deliveries (one per subscriber of a message) that may run at once on this host. Email and
    /// SMS have their own bulkheads (Notify:Email:MaxConcurrent, Notify:Sms:MaxConcurrent).
    /// </summary>
    /// <value>The default is 64.</value>
    [Range(1, 10_000)]
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>
    /// Subscribers read per page of a fan-out. A topic with no more confirmed subscribers than this is
    /// delivered from its one (cached) page; a larger topic's message is split into pages queued as work of
    /// their own, delivered by any Sender, and a crash repeats at most the pages under way.
    /// </summary>
    /// <value>The default is 500.</value>
    [Range(1, 10_000)]
    public int FanOutPageSize { get; set; } = 500;

    /// <summary>
    /// Pages of large fan-outs this host delivers at once; a page received beyond them waits up to
    /// <see cref="HandBackAfter"/> and is then handed back for another host. With <see cref="FanOutPageSize"/>
    /// it bounds what a crash of this host delivers twice: the pages under way, and one page being queued.
    /// </summary>
    /// <value>The default is 3.</value>
    [Range(1, 1000)]
    public int MaxFanOutPagesInFlight { get; set; } = 3;

    /// <summary>How long a received message stays hidden from other receivers; extended while it is delivered.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "12:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one receive waits for a message to arrive (long polling); SQS allows at most 20 seconds.</summary>
    /// <value>The default is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:20")]
    public TimeSpan WaitTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a received message may wait for a free delivery slot before it is handed back to the
    /// queue for another Sender host.
    /// </summary>
    /// <value>The default is 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan HandBackAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On shutdown, how long deliveries already under way may take to finish; what is still running then
    /// is cancelled and its message handed back to the queue.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a message whose delivery failed unexpectedly (not an endpoint's refusal, which the
    /// channel's own retries handle) is received before it is given up and deleted, as SQS's
    /// maxReceiveCount would move it to a dead-letter queue.
    /// </summary>
    /// <value>The default is 5.</value>
    [Range(1, 1000)]
    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>
    /// While a delivery is still running (retrying), how often it checks that its subscription still
    /// exists; when it does not (deleted, unsubscribed, expired), the delivery stops.
    /// </summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan SubscriptionRecheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinRetrievers > MaxRetrievers)
        {
            yield return new ValidationResult(
                $"MinRetrievers ({MinRetrievers}) must not exceed MaxRetrievers ({MaxRetrievers}).",
                [nameof(MinRetrievers), nameof(MaxRetrievers)]);
        }
    }
}
