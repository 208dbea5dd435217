using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Notify.Shared.Metrics;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Metrics;

/// <summary>
/// The sampler over a real SQLite queue on a fake clock: it samples at once and every 5 s, keeps the last
/// values when the queue fails, and opens no queue before the store exists.
/// </summary>
public sealed class QueueDepthSamplerTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _directory = new();
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly TestMeters _meters = new();
    private SqliteMessageQueue _queue = null!;
    private FailingQueue _failing = null!;

    public Task InitializeAsync()
    {
        _queue = new SqliteMessageQueue(_directory.File("queue.db"), TestCipher.Instance, _clock, NullLogger<SqliteMessageQueue>.Instance);
        _failing = new FailingQueue(_queue);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    public void Dispose()
    {
        _meters.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task SamplesAtStart_ThenEveryFiveSeconds()
    {
        await SendAsync(3);
        await _queue.ReceiveAsync(1, TimeSpan.FromMinutes(5), TimeSpan.Zero, default);
        using var gauge = _meters.Collect<long>("notify.queue.messages");
        using var sampler = Sampler(StoreAvailability.Available(), out _);

        await sampler.StartAsync(default);
        await WaitForAsync(gauge, waiting: 2, inFlight: 1);

        await SendAsync(2);
        await _clock.WaitForTimerAsync(QueueDepthSampler.Interval);
        _clock.Advance(QueueDepthSampler.Interval);
        await WaitForAsync(gauge, waiting: 4, inFlight: 1);
        await sampler.StopAsync(default);
    }

    [Fact]
    public async Task AFailedSample_LogsAtDebug_AndKeepsTheLastValues()
    {
        await SendAsync(2);
        using var gauge = _meters.Collect<long>("notify.queue.messages");
        using var sampler = Sampler(StoreAvailability.Available(), out _);
        await sampler.StartAsync(default);
        await WaitForAsync(gauge, waiting: 2, inFlight: 0);

        _failing.Failing = true;
        await _clock.WaitForTimerAsync(QueueDepthSampler.Interval);
        _clock.Advance(QueueDepthSampler.Interval);
        await _logs.WhenLoggedAsync("QueueDepthSampleFailed");

        var failure = Assert.Single(_logs.GetSnapshot(), r => r.Id.Name == "QueueDepthSampleFailed");
        Assert.Equal(LogLevel.Debug, failure.Level);
        gauge.RecordObservableInstruments();
        Assert.Equal((2L, 0L), Latest(gauge));

        // The next tick tries again.
        _failing.Failing = false;
        await SendAsync(1);
        _clock.Advance(QueueDepthSampler.Interval);
        await WaitForAsync(gauge, waiting: 3, inFlight: 0);
        await sampler.StopAsync(default);
    }

    [Fact]
    public async Task BeforeTheStoreExists_OpensNoQueue_ThenSamplesOnceItDoes()
    {
        await SendAsync(1);
        var store = StoreAvailability.Awaited("no store yet");
        using var gauge = _meters.Collect<long>("notify.queue.messages");
        using var sampler = Sampler(store, out var queueBuilt);

        await sampler.StartAsync(default);
        _clock.Advance(QueueDepthSampler.Interval * 3);

        Assert.False(queueBuilt());
        gauge.RecordObservableInstruments();
        Assert.Empty(gauge.GetMeasurementSnapshot());

        store.MarkAvailable();
        await WaitForAsync(gauge, waiting: 1, inFlight: 0);
        Assert.True(queueBuilt());
        await sampler.StopAsync(default);
    }

    private QueueDepthSampler Sampler(StoreAvailability store, out Func<bool> queueBuilt)
    {
        var built = false;
        queueBuilt = () => Volatile.Read(ref built);
        var services = new ServiceCollection()
            .AddSingleton<IMessageQueue>(_ =>
            {
                Volatile.Write(ref built, true);
                return _failing;
            })
            .BuildServiceProvider();
        return new QueueDepthSampler(store, services, _meters.Metrics, _clock, new FakeLogger<QueueDepthSampler>(_logs));
    }

    private Task SendAsync(int count) =>
        _queue.SendBatchAsync(Enumerable.Range(0, count).Select(_ => new OutgoingMessage(Guid.NewGuid().ToString("N"), "{}")).ToList(), default);

    /// <summary>Observes the gauge until it reports these values (the sampler runs on its own task).</summary>
    private static async Task WaitForAsync(MetricCollector<long> gauge, long waiting, long inFlight)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            gauge.RecordObservableInstruments();
            if (Latest(gauge) == (waiting, inFlight))
            {
                return;
            }

            if (patience.IsCancellationRequested)
            {
                throw new TimeoutException($"The gauge did not report {waiting} waiting and {inFlight} in flight; it last said {Latest(gauge)}.");
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static (long Waiting, long InFlight)? Latest(MetricCollector<long> gauge)
    {
        var snapshot = gauge.GetMeasurementSnapshot(clear: true);
        var waiting = snapshot.LastOrDefault(m => Equals(m.Tags.GetValueOrDefault("state"), "waiting"));
        var inFlight = snapshot.LastOrDefault(m => Equals(m.Tags.GetValueOrDefault("state"), "in_flight"));
        return waiting is null || inFlight is null ? null : (waiting.Value, inFlight.Value);
    }

    /// <summary>The real queue, whose depth query throws while <see cref="Failing"/> is set.</summary>
    private sealed class FailingQueue(IMessageQueue inner) : IMessageQueue
    {
        public volatile bool Failing;

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) =>
            Failing ? Task.FromException<QueueDepth>(new IOException("disk unplugged")) : inner.GetDepthAsync(cancellationToken);

        public Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) => inner.SendBatchAsync(messages, cancellationToken);

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken);

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => inner.DeleteAsync(receiptHandle, cancellationToken);

        public Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ChangeVisibilityAsync(receiptHandle, visibilityTimeout, cancellationToken);
    }
}
