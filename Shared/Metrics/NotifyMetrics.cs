using System.Diagnostics.Metrics;
using Notify.Shared.Queue;

namespace Notify.Shared.Metrics;

/// <summary>
/// Notify's own instruments on the <c>Notify</c> meter (see docs/architecture.md, "Metrics"). One per
/// process; the record methods sit on the publish and delivery paths, so they allocate nothing beyond a
/// tag. The gauges read values stored by others (<see cref="QueueDepthSampler"/>, the Sender's slots):
/// their callbacks run on every scrape and must not do I/O.
/// </summary>
public sealed class NotifyMetrics
{
    /// <summary>The meter's name, for exporters to listen to.</summary>
    public const string MeterName = "Notify";

    /// <summary>
    /// Publish-to-delivery seconds from 1 ms to a day: fine steps where webhooks land (milliseconds to
    /// seconds), coarser ones where retries and slow channels push deliveries (minutes to a day).
    /// </summary>
    internal static readonly double[] LatencyBuckets =
    [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
        60, 120, 300, 600, 1800, 3600, 7200, 21600, 43200, 86400,
    ];

    private const string ProtocolTag = "protocol";
    private const string StateTag = "state";

    private readonly Counter<long> _published;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly Lock _gate = new();
    private QueueDepth? _queueDepth;
    private Func<IEnumerable<(string Protocol, int InUse)>>? _permits;

    public NotifyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _published = meter.CreateCounter<long>("notify.messages.published", "{message}", "Messages accepted for publishing (duplicates not counted).");
        _delivered = meter.CreateCounter<long>("notify.deliveries.delivered", "{delivery}", "Deliveries that reached their subscriber, by protocol.");
        _latency = meter.CreateHistogram<double>(
            "notify.delivery.latency",
            "s",
            "Seconds from publish to successful delivery, by protocol.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _failed = meter.CreateCounter<long>("notify.deliveries.failed", "{attempt}", "Delivery attempts that failed, by protocol.");
        _retried = meter.CreateCounter<long>("notify.deliveries.retried", "{delivery}", "Retries scheduled on the queue, by protocol.");
        _deadLettered = meter.CreateCounter<long>("notify.deliveries.dead_lettered", "{delivery}", "Deliveries given up and dead-lettered, by protocol.");
        meter.CreateObservableGauge("notify.queue.messages", ObserveQueue, "{message}", "Messages in the queue by state, as last sampled.");
        meter.CreateObservableGauge("notify.sender.permits.in_use", ObservePermits, "{delivery}", "Delivery slots in use, by protocol.");
    }

    /// <summary>A publish was accepted (not a duplicate).</summary>
    public void Published() => _published.Add(1);

    /// <summary>A delivery reached its subscriber, <paramref name="publishToDelivery"/> after its message was published.</summary>
    /// <param name="protocol">webhook, email or sms.</param>
    public void Delivered(string protocol, TimeSpan publishToDelivery)
    {
        var tag = new KeyValuePair<string, object?>(ProtocolTag, protocol);
        _delivered.Add(1, tag);
        _latency.Record(publishToDelivery.TotalSeconds, tag);
    }

    /// <summary>One delivery attempt failed (whether or not it will be retried).</summary>
    public void AttemptFailed(string protocol) => _failed.Add(1, new KeyValuePair<string, object?>(ProtocolTag, protocol));

    /// <summary>A retry of a delivery was scheduled on the queue.</summary>
    public void RetryScheduled(string protocol) => _retried.Add(1, new KeyValuePair<string, object?>(ProtocolTag, protocol));

    /// <summary>A delivery was given up and dead-lettered.</summary>
    public void DeadLettered(string protocol) => _deadLettered.Add(1, new KeyValuePair<string, object?>(ProtocolTag, protocol));

    /// <summary>Stores the queue's latest depth for <c>notify.queue.messages</c> (see <see cref="QueueDepthSampler"/>).</summary>
    public void QueueDepthSampled(QueueDepth depth)
    {
        lock (_gate)
        {
            _queueDepth = depth;
        }
    }

    /// <summary>
    /// Names where <c>notify.sender.permits.in_use</c> reads from: called on every scrape, so it must only
    /// read counters in memory. A later call replaces the source.
    /// </summary>
    public void ObservePermits(Func<IEnumerable<(string Protocol, int InUse)>> source) =>
        Volatile.Write(ref _permits, source);

    private Measurement<long>[] ObserveQueue()
    {
        QueueDepth? sampled;
        lock (_gate)
        {
            sampled = _queueDepth;
        }

        // Nothing until the first sample: a zero would claim an empty queue nobody has looked at.
        if (sampled is not { } depth)
        {
            return [];
        }

        return
        [
            new(depth.Waiting, new KeyValuePair<string, object?>(StateTag, "waiting")),
            new(depth.Delayed, new KeyValuePair<string, object?>(StateTag, "delayed")),
            new(depth.InFlight, new KeyValuePair<string, object?>(StateTag, "in_flight")),
        ];
    }

    private IEnumerable<Measurement<int>> ObservePermits()
    {
        if (Volatile.Read(ref _permits) is not { } source)
        {
            yield break;
        }

        foreach (var (protocol, inUse) in source())
        {
            yield return new Measurement<int>(inUse, new KeyValuePair<string, object?>(ProtocolTag, protocol));
        }
    }
}
