using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Dedup;
using Notify.Frontend.Publishing;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Retention;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

/// <summary>
/// The Publisher's two-phase dedup over the real SQLite queue and dedup store: what a repeat is told
/// while the first publish is still being queued, after it was, and after the Frontend died in between.
/// </summary>
public sealed class PublisherTests : IAsyncLifetime, IDisposable
{
    private static readonly PublishRequest Request = new("hello", null, null, DedupId: "order-7");
    private static readonly DedupOptions Settings = new() { Window = TimeSpan.FromMinutes(5), PendingLease = TimeSpan.FromSeconds(30) };

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly TestMeters _meters = new();
    private SqliteMessageQueue _queue = null!;
    private SqliteDedupStore _dedup = null!;
    private SqliteDeliveryStore _deliveries = null!;
    private DeliveryCounters _counters = null!;

    public Task InitializeAsync()
    {
        _queue = new SqliteMessageQueue(_directory.File("queue.db"), TestCipher.Instance, _clock, NullLogger<SqliteMessageQueue>.Instance);
        _dedup = new SqliteDedupStore(_directory.File("dedup.db"), Options.Create(Settings), _clock);
        _deliveries = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, _clock);
        _counters = new DeliveryCounters(_deliveries, _clock);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _queue.DisposeAsync();

    public void Dispose()
    {
        _dedup.Dispose();
        _meters.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task RepeatWhileTheFirstIsBeingQueued_IsToldToRetry_ThenAfterItIsQueued_IsItsDuplicate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Publisher(new GatedQueue(_queue, gate.Task)).PublishAsync("orders", Request, "order-7", default);

        var pending = await Assert.ThrowsAsync<DedupPendingException>(() => Publisher(_queue).PublishAsync("orders", Request, "order-7", default));
        gate.SetResult();
        var accepted = await first;
        var repeat = await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);

        Assert.Contains(accepted.MessageId, pending.Message);
        Assert.False(accepted.Duplicate);
        Assert.Equal(new PublishResponse(accepted.MessageId, Duplicate: true), repeat);
        Assert.Equal(1, (await _queue.GetDepthAsync(default)).Waiting);
    }

    [Fact]
    public async Task AcceptedPublishes_AreCounted_DuplicatesAreNot()
    {
        using var published = _meters.Collect<long>("notify.messages.published");

        await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);
        var repeat = await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);
        await Publisher(_queue).PublishAsync("orders", Request with { DedupId = null }, null, default);

        Assert.True(repeat.Duplicate);
        Assert.Equal(2, published.GetMeasurementSnapshot().EvaluateAsCounter());

        // The topic's stats count them too, once the in-memory counters are flushed.
        await _counters.FlushAsync(default);
        var stats = await _deliveries.GetStatsAsync(StatsScope.Topic("orders"), _clock.GetUtcNow(), default);
        Assert.Equal(2, stats.Total.Published);
        Assert.Equal(2, stats.LastHour.Published);
    }

    /// <summary>
    /// A Frontend that died between its claim and its queue write left a pending claim and queued nothing:
    /// a repeat is not told "duplicate" of that lost message, and is accepted once the lease has run out.
    /// </summary>
    [Fact]
    public async Task ClaimLeftByAFrontendThatDied_IsNotADuplicate_AndARepeatAfterTheLeaseIsQueued()
    {
        await _dedup.ClaimAsync("orders\norder-7", "lost-message", default);

        var pending = await Assert.ThrowsAsync<DedupPendingException>(() => Publisher(_queue).PublishAsync("orders", Request, "order-7", default));
        Assert.Contains("30 s", pending.Message);
        Assert.Equal(0, (await _queue.GetDepthAsync(default)).Waiting);

        _clock.Advance(Settings.PendingLease + TimeSpan.FromSeconds(1));
        var accepted = await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);

        Assert.False(accepted.Duplicate);
        Assert.NotEqual("lost-message", accepted.MessageId);
        var queued = Assert.Single(await _queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), TimeSpan.Zero, default));
        Assert.Equal(accepted.MessageId, queued.Id);
    }

    [Fact]
    public async Task AcceptedClaim_OutlivesTheLease_ForTheWholeWindow()
    {
        var accepted = await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);

        _clock.Advance(Settings.Window - TimeSpan.FromSeconds(1));

        Assert.Equal(accepted with { Duplicate = true }, await Publisher(_queue).PublishAsync("orders", Request, "order-7", default));
    }

    [Fact]
    public async Task FailedQueueWrite_ReleasesTheClaim_SoTheRetryIsAccepted()
    {
        var broken = new GatedQueue(_queue, Task.FromException(new IOException("disk full")));
        await Assert.ThrowsAsync<IOException>(() => Publisher(broken).PublishAsync("orders", Request, "order-7", default));

        var retry = await Publisher(_queue).PublishAsync("orders", Request, "order-7", default);

        Assert.False(retry.Duplicate);
    }

    [Fact]
    public async Task Publish_ToATopicWithRetention_KeepsTheEnvelopeUntilPublishedPlusRetention()
    {
        var accepted = await Publisher(_queue).PublishAsync("orders", TimeSpan.FromHours(1), Request, null, default);

        var window = new TimeWindow(_clock.GetUtcNow().AddMinutes(-1), _clock.GetUtcNow().AddMinutes(1));
        var kept = Assert.Single((await Retained.ListAsync("orders", window, 10, null, default)).Items);
        Assert.Equal(accepted.MessageId, kept.MessageId);
        Assert.Equal(_clock.GetUtcNow().AddHours(1), kept.ExpiresAt);
        Assert.Equal("hello", EnvelopeJson.Deserialize(kept.Envelope).Notification!.Message);
    }

    [Fact]
    public async Task Publish_ToATopicWithoutRetention_KeepsNothing()
    {
        await Publisher(_queue).PublishAsync("orders", null, Request, null, default);

        var window = new TimeWindow(_clock.GetUtcNow().AddMinutes(-1), _clock.GetUtcNow().AddMinutes(1));
        Assert.Empty((await Retained.ListAsync("orders", window, 10, null, default)).Items);
    }

    /// <summary>The message is queued whatever the dedup store says afterwards, so the publish still answers 202.</summary>
    [Fact]
    public async Task AcceptThatFails_StillAcceptsThePublish_AndLogsWithoutTheBody()
    {
        var publisher = new Publisher(_queue, Retained, new FailingAccept(_dedup), Options.Create(Settings), _clock, _meters.Metrics, _counters, new FakeLogger<Publisher>(_logs));

        var accepted = await publisher.PublishAsync("orders", Request, "order-7", default);

        Assert.False(accepted.Duplicate);
        Assert.Equal(1, (await _queue.GetDepthAsync(default)).Waiting);
        var warning = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "DedupAcceptFailed");
        Assert.Contains(accepted.MessageId, warning.Message);
        Assert.DoesNotContain("hello", _logs.AllText);
    }

    private SqliteRetainedMessages Retained => field ??= new SqliteRetainedMessages(_directory.File("deliveries.db"), TestCipher.Instance, _clock);

    private Publisher Publisher(IMessageQueue queue) =>
        new(queue, Retained, _dedup, Options.Create(Settings), _clock, _meters.Metrics, _counters, NullLogger<Publisher>.Instance);

    /// <summary>The real queue, reached only once <paramref name="gate"/> completes (a slow or failing write).</summary>
    private sealed class GatedQueue(IMessageQueue inner, Task gate) : IMessageQueue
    {
        public async Task SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            await gate;
            await inner.SendBatchAsync(messages, cancellationToken);
        }

        public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, TimeSpan waitTime, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(maxMessages, visibilityTimeout, waitTime, cancellationToken);

        public Task DeleteAsync(string receiptHandle, CancellationToken cancellationToken) => inner.DeleteAsync(receiptHandle, cancellationToken);

        public Task<bool> ChangeVisibilityAsync(string receiptHandle, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ChangeVisibilityAsync(receiptHandle, visibilityTimeout, cancellationToken);

        public Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken) => inner.GetDepthAsync(cancellationToken);
    }

    /// <summary>The real store, except that marking a claim accepted fails (the store went away after the write).</summary>
    private sealed class FailingAccept(IDedupStore inner) : IDedupStore
    {
        public Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken) => inner.ClaimAsync(key, messageId, cancellationToken);

        public Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken) =>
            Task.FromException(new TimeoutException("The dedup store did not answer."));

        public Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken) => inner.ReleaseAsync(key, messageId, cancellationToken);
    }
}
