using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Sender;
using Notify.Metadata.Deliveries;
using Notify.Sender.Channels;
using Notify.Sender.Delivery;
using Notify.Sender.Processing;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

public sealed class MessageProcessorTests : IDisposable
{
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HandBackAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SubscriptionRecheck = TimeSpan.FromSeconds(7);
    private const int MaxReceiveCount = 4;

    private readonly InMemoryQueue _queue = new();
    private readonly InMemoryMetadataStore _store = new();
    private readonly ScriptedChannel _webhooks = new();
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ProcessorBuilder _parts;
    private MessageProcessor? _processor;

    public MessageProcessorTests()
    {
        _parts = new ProcessorBuilder(_clock, _logs);
    }

    public void Dispose()
    {
        _processor?.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public async Task Notification_FansOutOneDeliveryPerConfirmedSubscriber()
    {
        _store.Add("a");
        _store.Add("b");
        _store.Add("c");
        _store.Add("pending", status: SubscriptionStatus.Pending);
        _store.Add("disabled", status: SubscriptionStatus.Disabled);
        _store.Add("other-topic", topic: "invoices");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Equal(["a", "b", "c"], _webhooks.Calls.Select(c => c.SubscriptionId).Order());
        Assert.All(_webhooks.Calls, call => Assert.False(call.Confirmation));
    }

    [Fact]
    public async Task Notification_WhenOneSubscriberFails_SchedulesItsRetry_DeliversToTheOthers_AndIsDeleted()
    {
        foreach (var id in new[] { "a", "fails", "d" })
        {
            _store.Add(id);
        }

        _webhooks.GiveUp("fails", "HTTP 503");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Equal(["a", "d", "fails"], _webhooks.Calls.Select(c => c.SubscriptionId).Order());
        var scheduled = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "DeliveryRetryScheduled");
        Assert.Equal(LogLevel.Information, scheduled.Level);
        Assert.Contains("m1", scheduled.Message);
        Assert.Contains("fails", scheduled.Message);
        Assert.Contains("Webhook", scheduled.Message);
        Assert.Contains("HTTP 503", scheduled.Message);

        // The retry is queue work of its own, due after the webhook schedule's first wait (5 s).
        var sent = Assert.Single(_queue.Sent);
        Assert.Equal(TimeSpan.FromSeconds(5), sent.Delay);
        var work = EnvelopeJson.Deserialize(sent.Body);
        Assert.Equal(EnvelopeKind.Delivery, work.Kind);
        Assert.Equal("m1", work.Notification!.MessageId);
        Assert.Equal("fails", work.Delivery!.SubscriptionId);
        Assert.Equal(2, work.Delivery.Attempt);
        Assert.True(work.Delivery.Retrying);
    }

    [Fact]
    public async Task Notification_WhenADeliveryThrows_StillDeliversToTheOthersAndLeavesTheMessageToComeBack()
    {
        foreach (var id in new[] { "a", "throws", "d" })
        {
            _store.Add(id);
        }

        _webhooks.Throw("throws");
        var message = Notification("m1", receiveCount: MaxReceiveCount - 1);
        var processor = Processor();

        await processor.AdmitAsync(message, CancellationToken.None);
        await Eventually.Within(processor.DrainAsync(CancellationToken.None));

        Assert.Equal(["a", "d", "throws"], _webhooks.Calls.Select(c => c.SubscriptionId).Order());
        Assert.False(_queue.IsDeleted(message));
        Assert.Empty(_queue.VisibilityChanges);
        Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "DeliveryFailed" && e.Level == LogLevel.Error);
        var retry = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "DeliveriesFailedWillRetry");
        Assert.Contains($"receive {MaxReceiveCount - 1} of {MaxReceiveCount}", retry.Message);
    }

    [Fact]
    public async Task Notification_WhenADeliveryThrowsOnItsLastAllowedReceive_IsGivenUpAndDeleted()
    {
        _store.Add("throws");
        _webhooks.Throw("throws");
        var message = Notification("m1", receiveCount: MaxReceiveCount);

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var givenUp = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "DeliveriesFailedGivenUp");
        Assert.Equal(LogLevel.Error, givenUp.Level);
        Assert.Contains("m1", givenUp.Message);
    }

    [Fact]
    public async Task Notification_IsDeletedOnlyAfterEverySubscriberTaskFinished()
    {
        _store.Add("fast");
        _store.Add("slow");
        var slow = _webhooks.Block("slow");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _webhooks.WhenStartedAsync("fast");
        await _webhooks.WhenStartedAsync("slow");

        Assert.False(_queue.IsDeleted(message));

        slow.SetResult();
        await _queue.WhenDeletedAsync(message);
    }

    [Fact]
    public async Task Notification_WithNoConfirmedSubscribers_IsDeleted()
    {
        _store.Add("pending", status: SubscriptionStatus.Pending);
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Empty(_webhooks.Calls);
    }

    [Fact]
    public async Task Message_WhenNoDeliverySlotFreesWithinHandBackAfter_IsHandedBackForAnotherSender()
    {
        _store.Add("a");
        var busy = _webhooks.Block("a");
        var processor = Processor(maxConcurrentDeliveries: 1);
        var first = Notification("m1");
        var second = Notification("m2");
        await processor.AdmitAsync(first, CancellationToken.None);

        var admission = processor.AdmitAsync(second, CancellationToken.None);
        await _clock.WaitForTimerAsync(HandBackAfter);
        Assert.False(admission.IsCompleted);
        _clock.Advance(HandBackAfter);

        await _queue.WhenVisibilityChangedAsync(second, TimeSpan.Zero);
        await Eventually.Within(admission);
        Assert.Single(_webhooks.Calls);
        Assert.False(_queue.IsDeleted(second));

        busy.SetResult();
        await _queue.WhenDeletedAsync(first);
    }

    [Fact]
    public async Task Message_WhenASlotFreesWithinHandBackAfter_IsDelivered()
    {
        _store.Add("a");
        var busy = _webhooks.Block("a");
        var processor = Processor(maxConcurrentDeliveries: 1);
        var first = Notification("m1");
        var second = Notification("m2");
        await processor.AdmitAsync(first, CancellationToken.None);

        var admission = processor.AdmitAsync(second, CancellationToken.None);
        await _clock.WaitForTimerAsync(HandBackAfter);
        _webhooks.Answer("a", _ => Task.FromResult(DeliveryResult.Success(1, "HTTP 200")));
        busy.SetResult();

        await Eventually.Within(admission);
        await _queue.WhenDeletedAsync(second);
        Assert.Equal(0, _queue.VisibilityChangesOf(second, TimeSpan.Zero));
    }

    [Fact]
    public async Task SlowDelivery_KeepsTheMessageHiddenEveryThirdOfTheVisibilityTimeout()
    {
        _store.Add("slow");
        var slow = _webhooks.Block("slow");
        var message = Notification("m1");
        var beat = VisibilityTimeout / 3;

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _clock.WaitForTimerAsync(beat);
        _clock.Advance(beat);
        await _queue.WhenVisibilityChangedAsync(message, VisibilityTimeout);
        _clock.Advance(beat);
        await _queue.WhenVisibilityChangedAsync(message, VisibilityTimeout, times: 2);

        slow.SetResult();
        await _queue.WhenDeletedAsync(message);
    }

    [Fact]
    public async Task PoisonBody_IsDeletedAndLoggedWithItsIdButNeverItsBody()
    {
        var message = _queue.Enqueue("poison-1", "{\"kind\": s3cr3t-body");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var poison = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "PoisonMessage");
        Assert.Contains("poison-1", poison.Message);
        Assert.DoesNotContain("s3cr3t", _logs.AllText);
    }

    [Fact]
    public async Task EnvelopeWithoutItsContent_IsDeletedAsPoison()
    {
        var message = _queue.Enqueue("empty-1", "{\"kind\":\"Notification\"}");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "PoisonMessage");
        Assert.Empty(_webhooks.Calls);
    }

    [Fact]
    public async Task EnvelopeWithTextThatIsNotUtf8_IsDeletedAsPoison_NamingTheField()
    {
        _store.Add("a");
        // "wyg=" is C3 28: a lead byte without its continuation.
        var message = _queue.Enqueue("bad-utf8", """{"kind":"Notification","encodedNotification":{"messageId":"bad-utf8","topic":"orders","message":"wyg=","timestamp":"2026-12-02T10:00:00+00:00"}}""");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var poison = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "PoisonMessage");
        Assert.Contains("message is not valid UTF-8", poison.Message);
        Assert.Empty(_webhooks.Calls);
    }

    /// <summary>Messages queued before an upgrade (texts as JSON strings) are delivered by the upgraded Sender.</summary>
    [Fact]
    public async Task NotificationQueuedByTheEarlierVersion_IsDelivered()
    {
        _store.Add("a");
        var message = _queue.Enqueue("old-1", """
            {"kind":"Notification","notification":{"messageId":"old-1","topic":"orders","subject":"\u003CShipped\u003E","message":"\u003Cb\u003E\u0001\u0022","attributes":{"region":"eu"},"timestamp":"2026-12-02T10:00:00+00:00"}}
            """);

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var delivered = Assert.Single(_webhooks.Delivered);
        Assert.Equal("old-1", delivered.MessageId);
        Assert.Equal("<Shipped>", delivered.Subject);
        Assert.Equal("<b>\u0001\"", delivered.Message);
        Assert.Equal("eu", delivered.Attributes!["region"]);
        Assert.DoesNotContain(_logs.GetSnapshot(), e => e.Id.Name == "PoisonMessage");
    }

    [Fact]
    public async Task Confirmation_ForAPendingSubscription_IsSentThroughItsChannelAndDeleted()
    {
        _store.Add("new", status: SubscriptionStatus.Pending);
        var message = Confirmation("c1", "new");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Equal([("new", true)], _webhooks.Calls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SubscriptionStatus.Confirmed)]
    [InlineData(SubscriptionStatus.Disabled)]
    public async Task Confirmation_ForADeletedConfirmedOrDisabledSubscription_IsDeletedWithoutSending(SubscriptionStatus? status)
    {
        if (status is { } existing)
        {
            _store.Add("done", status: existing);
        }

        var message = Confirmation("c1", "done");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Empty(_webhooks.Calls);
    }

    [Fact]
    public async Task SlowChannel_FillsOnlyItsOwnBulkhead_WebhooksKeepFlowing()
    {
        // Email's bulkhead holds 2; webhooks have 2 slots of their own. Every email hangs (a slow SMTP server).
        var email = new ScriptedChannel(Protocol.Email) { MaxConcurrent = 2 };
        var hanging = email.Block("mail");
        _store.Add("mail", protocol: Protocol.Email, endpoint: "someone@example.com");
        _store.Add("hook");
        var processor = Processor(maxConcurrentDeliveries: 2, extraChannels: [email]);
        var messages = new[] { Notification("m1"), Notification("m2"), Notification("m3") };

        foreach (var message in messages)
        {
            _ = processor.AdmitAsync(message, CancellationToken.None);
        }

        // With one pool for all channels, the first two hanging emails would hold both slots and no webhook would go out.
        await Eventually.True(() => _webhooks.Calls.Count == 3, "a webhook delivery of each of the 3 messages");
        Assert.Equal(2, email.Calls.Count);

        hanging.SetResult();
        foreach (var message in messages)
        {
            await _queue.WhenDeletedAsync(message);
        }

        Assert.Equal(3, email.Calls.Count);
    }

    [Fact]
    public async Task SlowChannel_InOneMessage_DoesNotHoldUpItsOtherChannelsSubscribers()
    {
        // The three emails come first in subscriber order and email's one slot hangs, yet the webhook
        // subscribers after them are delivered: each delivery waits for a slot of its own protocol only.
        var email = new ScriptedChannel(Protocol.Email) { MaxConcurrent = 1 };
        var hanging = new[] { email.Block("a-mail-1"), email.Block("a-mail-2"), email.Block("a-mail-3") };
        for (var i = 1; i <= 3; i++)
        {
            _store.Add($"a-mail-{i}", protocol: Protocol.Email, endpoint: $"someone{i}@example.com");
            _store.Add($"b-hook-{i}");
        }

        var processor = Processor(maxConcurrentDeliveries: 1, extraChannels: [email]);
        var message = Notification("m1");

        _ = processor.AdmitAsync(message, CancellationToken.None);

        await Eventually.True(() => _webhooks.Calls.Count == 3, "the 3 webhook deliveries, one slot at a time");
        Assert.Single(email.Calls);

        foreach (var gate in hanging)
        {
            gate.SetResult();
        }

        await _queue.WhenDeletedAsync(message);
        Assert.Equal(3, email.Calls.Count);
    }

    [Fact]
    public async Task Delivery_ToAProtocolWithoutAChannel_IsLoggedAsGivenUpNeverDroppedSilently()
    {
        _store.Add("mail", protocol: Protocol.Email, endpoint: "someone@example.com");
        _store.Add("hook");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var warning = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "NoDeliveryChannel");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("No delivery channel for protocol Email", warning.Message);
        Assert.DoesNotContain("someone@example.com", _logs.AllText);
        Assert.Equal([("hook", false)], _webhooks.Calls);
    }

    [Fact]
    public async Task MetadataLookupFailure_LeavesTheMessageToItsVisibilityTimeout()
    {
        _store.Failure = new InvalidOperationException("store down");
        var message = Notification("m1");
        var processor = Processor();

        await processor.AdmitAsync(message, CancellationToken.None);
        await Eventually.Within(processor.DrainAsync(CancellationToken.None));

        Assert.False(_queue.IsDeleted(message));
        Assert.Empty(_queue.VisibilityChanges);
        Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "SubscriberLookupFailed");
    }

    [Fact]
    public async Task Drain_WhenDeliveriesFinishInTime_WaitsForThemAndTheMessageIsDeleted()
    {
        _store.Add("slow");
        var slow = _webhooks.Block("slow");
        var message = Notification("m1");
        var processor = Processor();
        await processor.AdmitAsync(message, CancellationToken.None);

        var drain = processor.DrainAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(DrainTimeout);
        slow.SetResult();

        await Eventually.Within(drain);
        Assert.True(_queue.IsDeleted(message));
    }

    [Fact]
    public async Task Drain_WhenDeliveriesOutlastDrainTimeout_CancelsThemAndHandsTheMessageBack()
    {
        _store.Add("done");
        _store.Add("stuck");
        _webhooks.Block("stuck");
        var message = Notification("m1");
        var processor = Processor();
        await processor.AdmitAsync(message, CancellationToken.None);
        await _webhooks.WhenStartedAsync("stuck");

        var drain = processor.DrainAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(DrainTimeout);
        _clock.Advance(DrainTimeout);

        await Eventually.Within(drain);
        Assert.Equal(1, _queue.VisibilityChangesOf(message, TimeSpan.Zero));
        Assert.False(_queue.IsDeleted(message));
        Assert.Equal(0, processor.InFlight);
    }

    [Fact]
    public async Task Stopping_WhileAMessageWaitsForASlot_HandsItBackAtOnce()
    {
        _store.Add("a");
        var busy = _webhooks.Block("a");
        var processor = Processor(maxConcurrentDeliveries: 1);
        using var stopping = new CancellationTokenSource();
        await processor.AdmitAsync(Notification("m1"), stopping.Token);

        var waiting = Notification("m2");
        var admission = processor.AdmitAsync(waiting, stopping.Token);
        await _clock.WaitForTimerAsync(HandBackAfter);
        await stopping.CancelAsync();

        await _queue.WhenVisibilityChangedAsync(waiting, TimeSpan.Zero);
        await Eventually.Within(admission);
        busy.SetResult();
    }

    [Fact]
    public async Task Notification_ReachesOnlySubscribersWhoseFilterPolicyMatches()
    {
        _store.Add("all");
        _store.Add("eu", filterPolicy: """{"region":["eu"]}""");
        _store.Add("us", filterPolicy: """{"region":["us"]}""");
        _store.Add("big-eu", filterPolicy: """{"region":[{"prefix":"e"}],"amount":[{"numeric":[">",100]}]}""");
        var message = _queue.Enqueue("m1", EnvelopeJson.Serialize(QueueEnvelope.For(new Notification
        {
            MessageId = "m1",
            Topic = "orders",
            Message = "order 42 shipped",
            Attributes = new Dictionary<string, string> { ["region"] = "eu", ["amount"] = "250" },
            Timestamp = DateTimeOffset.UnixEpoch,
        })));

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Equal(["all", "big-eu", "eu"], _webhooks.Calls.Select(c => c.SubscriptionId).Order());
    }

    [Fact]
    public async Task Notification_MatchingNoFilterPolicy_IsDeletedWithoutDeliveries()
    {
        _store.Add("eu", filterPolicy: """{"region":["eu"]}""");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Empty(_webhooks.Calls);
    }

    [Fact]
    public async Task Delivery_StillBeingTried_StopsWhenItsSubscriptionIsDeleted()
    {
        _store.Add("leaving");
        _store.Add("staying");
        _webhooks.Block("leaving");
        var message = Notification("m1");
        await Processor().AdmitAsync(message, CancellationToken.None);
        await _webhooks.WhenStartedAsync("leaving");

        await _store.DeleteSubscriptionAsync("leaving", _clock.GetUtcNow(), CancellationToken.None);
        await _clock.WaitForTimerAsync(SubscriptionRecheck);
        _clock.Advance(SubscriptionRecheck);

        // The stopped delivery ends (nothing more is owed to a deleted subscription): the message is done, not handed back.
        await _queue.WhenDeletedAsync(message);
        Assert.Equal(0, _queue.VisibilityChangesOf(message, TimeSpan.Zero));
        await _logs.WhenLoggedAsync("DeliveryStoppedSubscriptionGone");
    }

    [Fact]
    public async Task Delivery_StillBeingTried_GoesOnWhileItsSubscriptionExists()
    {
        _store.Add("slow");
        var gate = _webhooks.Block("slow");
        var message = Notification("m1");
        await Processor().AdmitAsync(message, CancellationToken.None);
        await _webhooks.WhenStartedAsync("slow");

        var reads = _store.SubscriptionReads;
        await _clock.WaitForTimerAsync(SubscriptionRecheck);
        _clock.Advance(SubscriptionRecheck);
        await Eventually.True(() => _store.SubscriptionReads > reads, "the subscription was looked up again");
        gate.SetResult();

        await _queue.WhenDeletedAsync(message);
        Assert.DoesNotContain(_logs.GetSnapshot(), e => e.Id.Name == "DeliveryStoppedSubscriptionGone");
    }

    [Fact]
    public async Task Confirmation_NotDelivered_IsRecordedOnTheSubscription()
    {
        _store.Add("new", status: SubscriptionStatus.Pending);
        _webhooks.GiveUp("new", "HTTP 410", "http:410");
        var message = Confirmation("c1", "new");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        var error = (await _store.GetSubscriptionAsync("new", CancellationToken.None))!.LastDeliveryError;
        Assert.NotNull(error);
        Assert.Equal("http:410", error.Code);
        Assert.Contains("HTTP 410", error.Detail, StringComparison.Ordinal);
        Assert.Contains("POST /v1/subscriptions/new/confirmation", error.Detail, StringComparison.Ordinal);
        Assert.Equal(_clock.GetUtcNow(), error.At);
    }

    [Fact]
    public async Task Confirmation_Delivered_ClearsTheErrorOfAnEarlierOne()
    {
        _store.Add("retried", status: SubscriptionStatus.Pending);
        await _store.SetDeliveryErrorAsync("retried", new DeliveryError("timeout", "earlier", DateTimeOffset.UnixEpoch), CancellationToken.None);
        var message = Confirmation("c1", "retried");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Null((await _store.GetSubscriptionAsync("retried", CancellationToken.None))!.LastDeliveryError);
    }

    [Fact]
    public async Task Notification_GivenUpWithoutRefusal_LeavesTheSubscriptionAsItWas()
    {
        _store.Add("flaky");
        _webhooks.GiveUp("flaky", "HTTP 503");
        var message = Notification("m1");

        await Processor().AdmitAsync(message, CancellationToken.None);
        await _queue.WhenDeletedAsync(message);

        Assert.Null((await _store.GetSubscriptionAsync("flaky", CancellationToken.None))!.LastDeliveryError);
    }

    private MessageProcessor Processor(int maxConcurrentDeliveries = 64, IReadOnlyList<ScriptedChannel>? extraChannels = null)
    {
        var options = new SenderOptions
        {
            MaxConcurrentDeliveries = maxConcurrentDeliveries,
            VisibilityTimeout = VisibilityTimeout,
            HandBackAfter = HandBackAfter,
            DrainTimeout = DrainTimeout,
            MaxReceiveCount = MaxReceiveCount,
            SubscriptionRecheckInterval = SubscriptionRecheck,
        };
        _processor = _parts.Build(_queue, _store, [_webhooks, .. extraChannels ?? []], options);
        return _processor;
    }

    private ReceivedMessage Notification(string id, int receiveCount = 1) => _queue.Enqueue(id, EnvelopeJson.Serialize(QueueEnvelope.For(new Notification
    {
        MessageId = id,
        Topic = "orders",
        Message = "order 42 shipped",
        Timestamp = DateTimeOffset.UnixEpoch,
    })), receiveCount);

    private ReceivedMessage Confirmation(string id, string subscriptionId) =>
        _queue.Enqueue(id, EnvelopeJson.Serialize(QueueEnvelope.ForConfirmation(subscriptionId)));
}
