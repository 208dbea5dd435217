using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notify.Shared.Metrics;
using Notify.Shared.Queue;
using Notify.Tests.Support;

namespace Notify.Tests.Metrics;

/// <summary>Each record method lands on its instrument, with its tag, as an exporter would read it.</summary>
public sealed class NotifyMetricsTests : IDisposable
{
    private static readonly int[] WebhookSlotsSeen = [3, 5];
    private static readonly int[] EmailSlotsSeen = [1, 1];

    private readonly TestMeters _meters = new();

    public void Dispose() => _meters.Dispose();

    [Fact]
    public void Published_CountsOnePerCall_WithoutTags()
    {
        using var published = _meters.Collect<long>("notify.messages.published");

        _meters.Metrics.Published();
        _meters.Metrics.Published();

        Assert.Equal(2, published.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(published.GetMeasurementSnapshot(), m => Assert.Empty(m.Tags));
        Assert.Equal("{message}", published.Instrument!.Unit);
    }

    [Fact]
    public void Delivered_CountsByProtocol_AndRecordsPublishToDeliverySeconds()
    {
        using var delivered = _meters.Collect<long>("notify.deliveries.delivered");
        using var latency = _meters.Collect<double>("notify.delivery.latency");

        _meters.Metrics.Delivered("webhook", TimeSpan.FromMilliseconds(250));
        _meters.Metrics.Delivered("email", TimeSpan.FromMinutes(2));

        var counts = delivered.GetMeasurementSnapshot();
        Assert.Equal(1, counts.ContainsTags("protocol").Count(m => Equals(m.Tags["protocol"], "webhook")));
        Assert.Equal(2, counts.EvaluateAsCounter());
        var seconds = latency.GetMeasurementSnapshot();
        Assert.Equal(0.25, Assert.Single(seconds.ContainsTags(new KeyValuePair<string, object?>("protocol", "webhook"))).Value, 6);
        Assert.Equal(120, Assert.Single(seconds.ContainsTags(new KeyValuePair<string, object?>("protocol", "email"))).Value, 6);
        Assert.Equal("s", latency.Instrument!.Unit);
    }

    [Fact]
    public void Latency_HasBucketsFromAMillisecondToADay()
    {
        using var latency = _meters.Collect<double>("notify.delivery.latency");

        var buckets = ((Histogram<double>)latency.Instrument!).Advice!.HistogramBucketBoundaries!;

        Assert.Equal(0.001, buckets[0]);
        Assert.Equal(86400, buckets[^1]);
        Assert.Equal(buckets.Order(), buckets);
    }

    public static TheoryData<string, string> ProtocolCounters => new()
    {
        { nameof(NotifyMetrics.AttemptFailed), "notify.deliveries.failed" },
        { nameof(NotifyMetrics.RetryScheduled), "notify.deliveries.retried" },
        { nameof(NotifyMetrics.DeadLettered), "notify.deliveries.dead_lettered" },
    };

    [Theory]
    [MemberData(nameof(ProtocolCounters))]
    public void ProtocolCounter_CountsOnePerCall_TaggedWithTheProtocol(string method, string instrument)
    {
        using var collector = _meters.Collect<long>(instrument);
        Action<string> record = method switch
        {
            nameof(NotifyMetrics.AttemptFailed) => _meters.Metrics.AttemptFailed,
            nameof(NotifyMetrics.RetryScheduled) => _meters.Metrics.RetryScheduled,
            _ => _meters.Metrics.DeadLettered,
        };

        record("sms");
        record("sms");
        record("webhook");

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.ContainsTags(new KeyValuePair<string, object?>("protocol", "sms")).EvaluateAsCounter());
        Assert.Equal(1, measurements.ContainsTags(new KeyValuePair<string, object?>("protocol", "webhook")).EvaluateAsCounter());
    }

    [Fact]
    public void QueueGauge_ReportsNothingBeforeTheFirstSample_ThenTheLatestSample()
    {
        using var queue = _meters.Collect<long>("notify.queue.messages");

        queue.RecordObservableInstruments();
        Assert.Empty(queue.GetMeasurementSnapshot());

        _meters.Metrics.QueueDepthSampled(new QueueDepth(Waiting: 7, InFlight: 2, Delayed: 1));
        _meters.Metrics.QueueDepthSampled(new QueueDepth(Waiting: 4, InFlight: 3, Delayed: 6));
        queue.RecordObservableInstruments();

        var latest = queue.GetMeasurementSnapshot();
        Assert.Equal(4, Assert.Single(latest.ContainsTags(new KeyValuePair<string, object?>("state", "waiting"))).Value);
        Assert.Equal(3, Assert.Single(latest.ContainsTags(new KeyValuePair<string, object?>("state", "in_flight"))).Value);
        Assert.Equal(6, Assert.Single(latest.ContainsTags(new KeyValuePair<string, object?>("state", "delayed"))).Value);
    }

    [Fact]
    public void PermitsGauge_ReadsTheRegisteredSourceOnEachObservation()
    {
        using var permits = _meters.Collect<int>("notify.sender.permits.in_use");
        var webhooks = 3;
        _meters.Metrics.ObservePermits(() => [("webhook", webhooks), ("email", 1)]);

        permits.RecordObservableInstruments();
        webhooks = 5;
        permits.RecordObservableInstruments();

        var measurements = permits.GetMeasurementSnapshot();
        Assert.Equal(WebhookSlotsSeen, measurements.ContainsTags(new KeyValuePair<string, object?>("protocol", "webhook")).Select(m => m.Value));
        Assert.Equal(EmailSlotsSeen, measurements.ContainsTags(new KeyValuePair<string, object?>("protocol", "email")).Select(m => m.Value));
    }
}
