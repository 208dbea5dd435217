using Microsoft.Extensions.Logging.Testing;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Sender;
using Notify.Sender.Processing;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

/// <summary>
/// A delivery's life in the Sender, on a real SQLite delivery store and a fake clock: retries scheduled as
/// queue work and made when due, dead letters, pace, and what the status and stats say of each.
/// </summary>
public sealed class DeliveryStateTests : IDisposable
{
    private readonly InMemoryQueue _queue = new();
    private readonly InMemoryMetadataStore _store = new();
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ScriptedChannel _webhooks;
    private readonly ProcessorBuilder _parts;
    private MessageProcessor? _processor;

    public DeliveryStateTests()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        _webhooks = new ScriptedChannel { Clock = _clock };
        _parts = new ProcessorBuilder(_clock, _logs);
    }

    private IDeliveryStore Deliveries => _parts.Deliveries;

    public void Dispose()
    {
        _processor?.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public async Task FailedDelivery_IsRetriedFromTheQueueWhenDue_AndDelivered_AndTheStatusFollows()
    {
        _store.Add("s1");
        _webhooks.FailThenDeliver("s1", failures: 1);
        var message = Notification("m1");

        await HandledAsync(message);

        // Scheduled: the queue has the retry, the store says when, the message's status counts it.
        var retry = Assert.Single(_queue.Sent);
        var scheduled = Assert.Single(await Deliveries.ListRetriesOfMessageAsync("m1", 10, CancellationToken.None));
        Assert.Equal(2, scheduled.NextAttempt);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(5), scheduled.NextAttemptAt);
        Assert.Equal("HTTP 503", scheduled.LastError);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(5), await Deliveries.NextAttemptOfSubscriptionAsync("s1", CancellationToken.None));
        var status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((1L, 0L, 1L, 0L), (status!.Subscribers, status.Delivered, status.Retrying, status.DeadLettered));

        _clock.Advance(TimeSpan.FromSeconds(5));
        var work = _queue.Receive(retry);
        await HandledAsync(work);

        Assert.Equal(2, _webhooks.Calls.Count);
        Assert.Equal([1, 2], _webhooks.Plans.Select(plan => plan!.FirstAttempt));
        Assert.Empty(await Deliveries.ListRetriesOfMessageAsync("m1", 10, CancellationToken.None));
        Assert.Null(await Deliveries.NextAttemptOfSubscriptionAsync("s1", CancellationToken.None));
        status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((1L, 1L, 0L, 0L), (status!.Subscribers, status.Delivered, status.Retrying, status.DeadLettered));

        await _parts.Counters.FlushAsync(CancellationToken.None);
        var stats = await Deliveries.GetStatsAsync(StatsScope.Subscription("s1"), _clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(new DeliveryCounts(Published: 1, Delivered: 1, Retried: 1, Retrying: 0, DeadLettered: 0), stats.Total);
        Assert.Equal(_clock.GetUtcNow(), stats.LastSuccess!.At);
        Assert.Equal("HTTP 503", stats.LastFailure!.Error);
        var topic = await Deliveries.GetStatsAsync(StatsScope.Topic("orders"), _clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(new DeliveryCounts(Published: 0, Delivered: 1, Retried: 1, Retrying: 0, DeadLettered: 0), topic.Total);
    }

    [Fact]
    public async Task WorkReceivedBeforeItIsDue_IsQueuedAgainForWhatRemains_WithoutAnAttempt()
    {
        _store.Add("s1");
        var early = _queue.Enqueue("w1", EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(Content("m1"), new DeliveryWork
        {
            SubscriptionId = "s1",
            Attempt = 5,
            DueAt = _clock.GetUtcNow() + TimeSpan.FromHours(2),
            Retrying = true,
        })));

        await HandledAsync(early);

        Assert.Empty(_webhooks.Calls);
        var again = Assert.Single(_queue.Sent);
        Assert.Equal(TimeSpan.FromMinutes(15), again.Delay);
        var work = EnvelopeJson.Deserialize(again.Body).Delivery!;
        Assert.Equal((5, _clock.GetUtcNow() + TimeSpan.FromHours(2)), (work.Attempt, work.DueAt));
    }

    [Fact]
    public async Task DeliveryThatRunsOutOfAttempts_IsADeadLetter_WithEveryAttempt()
    {
        _parts.Options.Webhook.RetrySeconds = "60";
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 500", "http:500");
        var message = Notification("m1");
        var publishedAt = _clock.GetUtcNow();

        await HandledAsync(message);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var work = _queue.Receive(Assert.Single(_queue.Sent));
        await HandledAsync(work);

        Assert.Single(_queue.Sent);
        var letter = await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None);
        Assert.NotNull(letter);
        Assert.Equal([(1, publishedAt), (2, publishedAt + TimeSpan.FromSeconds(60))], letter.Attempts.Select(a => (a.Number, a.At)));
        Assert.All(letter.Attempts, attempt => Assert.Equal("HTTP 500", attempt.Outcome));
        Assert.Equal("HTTP 500", letter.LastError);
        Assert.False(letter.Permanent);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromDays(14), letter.ExpiresAt);
        Assert.Equal("m1", EnvelopeJson.Deserialize(letter.Envelope).Notification!.MessageId);
        Assert.Empty(await Deliveries.ListRetriesOfMessageAsync("m1", 10, CancellationToken.None));
        var status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((1L, 0L, 0L, 1L), (status!.Subscribers, status.Delivered, status.Retrying, status.DeadLettered));
    }

    [Fact]
    public async Task PermanentFailure_IsADeadLetterAtOnce_AndNotRetried()
    {
        _store.Add("s1");
        _store.Add("s2");
        _webhooks.GiveUp("s1", "HTTP 404", "http:404", permanent: true);
        var message = Notification("m1");

        await HandledAsync(message);

        Assert.Empty(_queue.Sent);
        var letter = await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None);
        Assert.True(letter!.Permanent);
        Assert.Equal("HTTP 404", letter.LastError);
        var status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((2L, 1L, 0L, 1L), (status!.Subscribers, status.Delivered, status.Retrying, status.DeadLettered));
    }

    [Fact]
    public async Task RedrivenDeadLetter_IsRemovedOnceDelivered()
    {
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 404", "http:404", permanent: true);
        var message = Notification("m1");
        await HandledAsync(message);
        Assert.NotNull(await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None));

        _webhooks.Answer("s1", _ => Task.FromResult(Notify.Sender.Channels.DeliveryResult.Success(1, "HTTP 200")));
        var redrive = _queue.Enqueue("r1", EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(Content("m1"), new DeliveryWork
        {
            SubscriptionId = "s1",
            Attempt = 1,
            DueAt = _clock.GetUtcNow(),
            Redrive = true,
        })));
        await HandledAsync(redrive);

        Assert.Null(await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None));
        var status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((1L, 1L, 0L, 0L), (status!.Subscribers, status.Delivered, status.Retrying, status.DeadLettered));
    }

    [Fact]
    public async Task WorkForADeletedSubscription_IsDropped_AndNoLongerCountedAsRetrying()
    {
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 503");
        var message = Notification("m1");
        await HandledAsync(message);

        await _store.DeleteSubscriptionAsync("s1", _clock.GetUtcNow(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var work = _queue.Receive(Assert.Single(_queue.Sent));
        await HandledAsync(work);

        Assert.Single(_webhooks.Calls);
        Assert.Empty(await Deliveries.ListRetriesOfMessageAsync("m1", 10, CancellationToken.None));
        var status = await Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal(0L, status!.Retrying);
    }

    [Fact]
    public async Task WorkForADisabledSubscription_IsKeptAsADeadLetter_ForItsOwnerToRedrive()
    {
        _store.Add("s1", status: SubscriptionStatus.Disabled);
        var work = _queue.Enqueue("w1", EnvelopeJson.Serialize(QueueEnvelope.ForDelivery(Content("m1"), new DeliveryWork
        {
            SubscriptionId = "s1",
            Attempt = 3,
            DueAt = _clock.GetUtcNow(),
            Retrying = true,
            History = [DeliveryAttempt.Of(1, _clock.GetUtcNow(), "HTTP 503"), DeliveryAttempt.Of(2, _clock.GetUtcNow(), "HTTP 503")],
        })));

        await HandledAsync(work);

        Assert.Empty(_webhooks.Calls);
        var letter = await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None);
        Assert.Equal("subscription disabled", letter!.LastError);
        Assert.Equal(2, letter.Attempts.Count);
    }

    [Fact]
    public async Task Gone_DisablesTheSubscription_WithTheReason()
    {
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 410", "http:410", permanent: true);
        var message = Notification("m1");

        await HandledAsync(message);

        var subscription = await _store.GetSubscriptionAsync("s1", CancellationToken.None);
        Assert.Equal(SubscriptionStatus.Disabled, subscription!.Status);
        Assert.Equal("http:410", subscription.DisabledReason!.Code);
        Assert.Contains("POST /v1/subscriptions/s1/enable", subscription.DisabledReason.Detail, StringComparison.Ordinal);
        Assert.NotNull(await Deliveries.GetDeadLetterAsync("s1", "m1", CancellationToken.None));
    }

    [Fact]
    public async Task FailingWithoutASuccessForDisableAfter_DisablesTheSubscription()
    {
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 503");
        var first = Notification("m1");
        await HandledAsync(first);
        await _parts.Counters.FlushAsync(CancellationToken.None);

        // Just short of DisableAfter since the run of failures began: still on.
        _clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
        var second = Notification("m2");
        await HandledAsync(second);
        Assert.Equal(SubscriptionStatus.Confirmed, (await _store.GetSubscriptionAsync("s1", CancellationToken.None))!.Status);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var third = Notification("m3");
        await HandledAsync(third);

        var subscription = await _store.GetSubscriptionAsync("s1", CancellationToken.None);
        Assert.Equal(SubscriptionStatus.Disabled, subscription!.Status);
        Assert.Equal("failing", subscription.DisabledReason!.Code);
    }

    [Fact]
    public async Task ASuccessInTheMeantime_StartsTheCountAgain()
    {
        _store.Add("s1");
        _webhooks.GiveUp("s1", "HTTP 503");
        var first = Notification("m1");
        await HandledAsync(first);
        await _parts.Counters.FlushAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(3));
        _webhooks.Answer("s1", _ => Task.FromResult(Notify.Sender.Channels.DeliveryResult.Success(1, "HTTP 200")));
        var delivered = Notification("m2");
        await HandledAsync(delivered);
        await _parts.Counters.FlushAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(3));
        _webhooks.GiveUp("s1", "HTTP 503");
        var third = Notification("m3");
        await HandledAsync(third);

        Assert.Equal(SubscriptionStatus.Confirmed, (await _store.GetSubscriptionAsync("s1", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task ShortWaits_AreRetriedInProcess_LongOnesScheduled()
    {
        _parts.Options.Webhook.RetrySeconds = "0,2,30";
        _store.Add("s1");
        var message = Notification("m1");

        await HandledAsync(message);

        var plan = Assert.Single(_webhooks.Plans);
        Assert.Equal(TimeSpan.Zero, plan!.InProcessWait(1, retryAfter: null));
        Assert.Equal(TimeSpan.FromSeconds(2), plan.InProcessWait(2, retryAfter: null));
        Assert.Null(plan.InProcessWait(3, retryAfter: null));
        Assert.Null(plan.InProcessWait(4, retryAfter: null));

        // A Retry-After longer than the schedule's wait takes its place, and may push the retry onto the queue.
        Assert.Null(plan.InProcessWait(1, retryAfter: TimeSpan.FromMinutes(1)));
    }

    /// <summary>Hands the message to the processor and waits until its handling ended with its deletion.</summary>
    private async Task HandledAsync(ReceivedMessage message)
    {
        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);
    }

    private MessageProcessor Processor()
    {
        _processor ??= _parts.Build(_queue, _store, [_webhooks], new SenderOptions
        {
            VisibilityTimeout = TimeSpan.FromSeconds(30),
            HandBackAfter = TimeSpan.FromSeconds(2),
            SubscriptionRecheckInterval = TimeSpan.FromHours(1),
        });
        return _processor;
    }

    private Notification Content(string id) => new()
    {
        MessageId = id,
        Topic = "orders",
        Message = "order 42 shipped",
        Timestamp = _clock.GetUtcNow(),
    };

    private ReceivedMessage Notification(string id) => _queue.Enqueue(id, EnvelopeJson.Serialize(QueueEnvelope.For(Content(id))));
}
