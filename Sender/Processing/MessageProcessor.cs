using System.Text.Json;
using Microsoft.Extensions.Options;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Sender.Channels;
using Notify.Sender.Delivery;
using Notify.Sender.FanOut;
using Notify.Shared.Messages;
using Notify.Shared.Metrics;
using Notify.Shared.Queue;

namespace Notify.Sender.Processing;

/// <summary>
/// Handles received queue messages. A notification becomes one delivery task per confirmed subscriber
/// (a topic larger than one page is split into pages instead, each delivered the same way as work of its own),
/// each holding one of the host's delivery slots, so a slow or failing endpoint never delays the
/// others; a confirmation request becomes one task for its subscription. The queue message is deleted
/// only when every task has succeeded or been given up: a crash before that means redelivery (at least
/// once). A message that cannot get a first slot within <see cref="SenderOptions.HandBackAfter"/> is
/// handed back to the queue for another Sender host.
/// </summary>
internal sealed partial class MessageProcessor : IDisposable
{
    private readonly IMessageQueue _queue;
    private readonly IMetadataStore _store;
    private readonly DeliveryChannels _channels;
    private readonly SenderOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MessageProcessor> _logger;
    private readonly ChannelSlots _slots;
    private readonly ConfirmationSender _confirmations;
    private readonly DeliveryTargets _targets;
    private readonly DeliveryRunner _runner;
    private readonly DeliveryWorkQueue _workQueue;
    private readonly DeliveryLedger _ledger;
    private readonly FanOutSplitter _splitter;
    private readonly InFlightMessages _inFlight = new();

    // Pages of large fan-outs under way here: what a crash of this host delivers twice is bounded by them.
    private readonly DeliverySlots _pages;

    // Cancelled only when shutdown's drain time is over: what is still running then is handed back.
    private readonly CancellationTokenSource _abort = new();

    public MessageProcessor(
        IMessageQueue queue,
        IMetadataStore store,
        DeliveryChannels channels,
        DeliveryRunner runner,
        DeliveryWorkQueue workQueue,
        DeliveryLedger ledger,
        FanOutSplitter splitter,
        SubscriptionOutcomes outcomes,
        NotifyMetrics metrics,
        IOptions<SenderOptions> options,
        TimeProvider timeProvider,
        ILogger<MessageProcessor> logger)
    {
        _queue = queue;
        _store = store;
        _channels = channels;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new ChannelSlots(channels, _options.MaxConcurrentDeliveries, timeProvider);
        metrics.ObservePermits(_slots.InUse);
        _confirmations = new ConfirmationSender(channels, outcomes, logger);
        _runner = runner;
        _workQueue = workQueue;
        _ledger = ledger;
        _splitter = splitter;
        _pages = new DeliverySlots(_options.MaxFanOutPagesInFlight, timeProvider);
        _targets = new DeliveryTargets(store, ledger, _options.FanOutPageSize, logger);
    }

    /// <summary>Messages received and not yet deleted, handed back or left.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// Starts handling <paramref name="message"/>. The returned task completes once the message holds a
    /// delivery slot or is settled, so a retriever on a saturated host waits (at most HandBackAfter)
    /// before it receives more; the deliveries go on in the background until <see cref="DrainAsync"/>.
    /// </summary>
    /// <param name="stoppingToken">Cancelled when the host stops receiving: a message still waiting for a slot is handed back at once.</param>
    public Task AdmitAsync(ReceivedMessage message, CancellationToken stoppingToken)
    {
        var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inFlight.Enter();
        _ = HandleAsync(message, admitted, stoppingToken);
        return admitted.Task;
    }

    /// <summary>
    /// Lets the messages in delivery finish for up to <see cref="SenderOptions.DrainTimeout"/>, then
    /// cancels what is left and waits for it to be handed back (best effort, until
    /// <paramref name="cancellationToken"/>). Call after receiving has stopped.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var idle = _inFlight.WhenIdleAsync();
        if (idle.IsCompleted)
        {
            return;
        }

        Log.Draining(_logger, _inFlight.Count, _options.DrainTimeout);
        try
        {
            await idle.WaitAsync(_options.DrainTimeout, _timeProvider, cancellationToken);
            return;
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        Log.DrainTimedOut(_logger, _inFlight.Count, _options.DrainTimeout);
        await _abort.CancelAsync();
        try
        {
            await idle.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.DrainAbandoned(_logger, _inFlight.Count);
        }
    }

    public void Dispose()
    {
        _abort.Dispose();
        _slots.Dispose();
        _pages.Dispose();
    }

    /// <summary>Never throws: every failure ends in a log and a settlement (or the visibility timeout).</summary>
    private async Task HandleAsync(ReceivedMessage message, TaskCompletionSource admitted, CancellationToken stoppingToken)
    {
        try
        {
            if (!TryParse(message, out var envelope))
            {
                await SettleAsync(message, Settlement.Delete);
                return;
            }

            if (envelope.Delivery is { } work && !_workQueue.IsDue(work))
            {
                // Not due yet: the queue delays a message at most 15 minutes, so a longer wait hops.
                await _workQueue.ScheduleAsync(envelope.Notification!, work, CancellationToken.None);
                await SettleAsync(message, Settlement.Delete);
                return;
            }

            Settlement settlement;
            await using (VisibilityHeartbeat.Start(_queue, message, _options.VisibilityTimeout, _timeProvider, _logger))
            {
                settlement = envelope.Kind == EnvelopeKind.FanOutPage
                    ? await DeliverPageAsync(message, envelope, admitted, stoppingToken)
                    : await DeliverAsync(message, envelope, admitted, stoppingToken);
            }

            await SettleAsync(message, settlement);
        }
        catch (Exception ex)
        {
            Log.HandlingFailed(_logger, ex, message.Id);
        }
        finally
        {
            admitted.TrySetResult();
            _inFlight.Exit();
        }
    }

    /// <summary>A page of a large fan-out, once it holds one of this host's page permits: delivered like a notification.</summary>
    private async Task<Settlement> DeliverPageAsync(
        ReceivedMessage message, QueueEnvelope envelope, TaskCompletionSource admitted, CancellationToken stoppingToken)
    {
        if (!await _pages.TryEnterAsync(_options.HandBackAfter, stoppingToken))
        {
            Log.NoPagePermit(_logger, _options.MaxFanOutPagesInFlight, message.Id);
            return Settlement.HandBack;
        }

        try
        {
            return await DeliverAsync(message, envelope, admitted, stoppingToken);
        }
        finally
        {
            _pages.Release();
        }
    }

    private async Task<Settlement> DeliverAsync(
        ReceivedMessage message, QueueEnvelope envelope, TaskCompletionSource admitted, CancellationToken stoppingToken)
    {
        IReadOnlyList<DeliveryTarget> targets;
        try
        {
            var resolution = await _targets.ResolveAsync(message.Id, envelope, _abort.Token);
            if (resolution.SplitFrom is { } firstPage)
            {
                // The split holds no delivery slot: the retriever may receive more meanwhile.
                admitted.TrySetResult();
                await _splitter.SplitAsync(envelope.Notification!, firstPage, _abort.Token);
                return Settlement.Delete;
            }

            targets = resolution.Targets;
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return Settlement.HandBack;
        }
        catch (Exception ex)
        {
            // The metadata store may be back in a moment; the visibility timeout is the backoff.
            Log.LookupFailed(_logger, ex, message.Id);
            return Settlement.Leave;
        }

        if (targets.Count == 0)
        {
            return Settlement.Delete;
        }

        // The message is admitted once one of its deliveries holds a slot: preferably one of a channel
        // with room, so a message for a full channel and a free one is not held up by the full one.
        var first = FirstWithRoom(targets);
        if (!await _slots.For(targets[first].Subscription.Protocol).TryEnterAsync(_options.HandBackAfter, stoppingToken))
        {
            if (stoppingToken.IsCancellationRequested)
            {
                Log.HandedBackOnStop(_logger, message.Id);
            }
            else
            {
                Log.NoCapacity(_logger, _options.HandBackAfter, message.Id);
            }

            return Settlement.HandBack;
        }

        admitted.TrySetResult();

        // Every subscriber's task at once, each waiting for a slot of its own protocol: the slots' waiters are
        // served in order, so the messages admitted first finish first, and a crash finds few messages
        // delivered in part (each is delivered again whole). Starting a message's deliveries one slot at a
        // time instead interleaved the messages, and a kill -9 then repeated 85 deliveries where the crash
        // test allows 80 (16 slots x 5 subscribers).
        var tasks = new Task<TaskResult>[targets.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = DeliverOneAsync(message, targets[i], holdsSlot: i == first);
        }

        var results = await Task.WhenAll(tasks);
        var failed = results.Count(result => result.End == TaskEnd.Failed);
        if (failed > 0)
        {
            // An unexpected failure may be passing (it was once a start-up race): the message comes back
            // after its visibility timeout, to every subscriber again (at least once), until it has been
            // received MaxReceiveCount times; only then is it given up, as SQS would move it to a DLQ.
            if (message.ReceiveCount < _options.MaxReceiveCount)
            {
                Log.FailedWillRetry(_logger, failed, tasks.Length, message.Id, message.ReceiveCount, _options.MaxReceiveCount);
                return Settlement.Leave;
            }

            Log.FailedGivenUp(_logger, failed, tasks.Length, message.Id, message.ReceiveCount);
            return Settlement.Delete;
        }

        var unfinished = results.Count(result => result.End == TaskEnd.Cancelled);
        if (unfinished > 0)
        {
            Log.Unfinished(_logger, unfinished, tasks.Length, message.Id);
            return Settlement.HandBack;
        }

        if (envelope.Kind is EnvelopeKind.Notification or EnvelopeKind.FanOutPage)
        {
            // Every subscriber's delivery is delivered, scheduled or a dead letter: one status write for them
            // all (for a large topic, one per page: the status adds them up).
            var ends = default(MessageOutcomeDelta);
            foreach (var result in results)
            {
                if (result.Delivery is { } end)
                {
                    ends += MessageOutcomeDelta.Of(result.Turn!, end);
                }
            }

            await _ledger.FanOutEndedAsync(envelope.Notification!, targets.Count, ends, CancellationToken.None);
        }

        return Settlement.Delete;
    }

    private int FirstWithRoom(IReadOnlyList<DeliveryTarget> targets)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            if (_slots.For(targets[i].Subscription.Protocol).Available > 0)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>One subscriber's task: takes a slot of its protocol unless it holds one, and releases it; never throws.</summary>
    private async Task<TaskResult> DeliverOneAsync(ReceivedMessage message, DeliveryTarget target, bool holdsSlot)
    {
        var subscription = target.Subscription;
        var slots = _slots.For(subscription.Protocol);
        if (!holdsSlot)
        {
            try
            {
                await slots.EnterAsync(_abort.Token);
            }
            catch (OperationCanceledException)
            {
                return TaskResult.Cancelled;
            }
        }

        SubscriptionWatch? watch = null;
        DeliveryTurn? turn = null;
        try
        {
            // Stops the delivery if its subscription goes away while it is still being tried.
            watch = SubscriptionWatch.Start(_store, subscription.Id, _options.SubscriptionRecheckInterval, _timeProvider, _logger, _abort.Token);
            if (target.Notification is { } notification)
            {
                turn = new DeliveryTurn(notification, subscription, target.Work);
                return new TaskResult(TaskEnd.Ended, turn, await _runner.RunAsync(turn, watch.Token));
            }

            await _confirmations.SendAsync(message.Id, subscription, watch.Token);
            return new TaskResult(TaskEnd.Ended, null, null);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            return TaskResult.Cancelled;
        }
        catch (OperationCanceledException) when (watch?.SubscriptionGone == true)
        {
            // Deleted, unsubscribed or expired meanwhile: nothing more is owed to it.
            if (turn?.Work is { } work)
            {
                await _ledger.DroppedAsync(turn.Notification, work, CancellationToken.None);
            }

            return new TaskResult(TaskEnd.Ended, turn, DeliveryEnd.Dropped);
        }
        catch (Exception ex)
        {
            Log.DeliveryFailed(_logger, ex, message.Id, subscription.Id, subscription.Protocol);
            return TaskResult.Failed;
        }
        finally
        {
            // The slot goes back whatever happens here: a slot lost is a delivery capacity lost for good.
            try
            {
                if (watch is not null)
                {
                    await watch.DisposeAsync();
                }
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private async Task SettleAsync(ReceivedMessage message, Settlement settlement)
    {
        // Not cancellable: this is the step that makes the work done so far count.
        switch (settlement)
        {
            case Settlement.Delete:
                try
                {
                    await _queue.DeleteAsync(message.ReceiptHandle, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    Log.DeleteFailed(_logger, ex, message.Id);
                }

                break;

            case Settlement.HandBack:
                try
                {
                    await _queue.ChangeVisibilityAsync(message.ReceiptHandle, TimeSpan.Zero, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    Log.HandBackFailed(_logger, ex, message.Id);
                }

                break;

            case Settlement.Leave:
                break;
        }
    }

    private bool TryParse(ReceivedMessage message, out QueueEnvelope envelope)
    {
        string reason;
        try
        {
            envelope = EnvelopeJson.Deserialize(message.Body);
            var complete = envelope.Kind switch
            {
                EnvelopeKind.Notification => envelope.Notification is not null,
                EnvelopeKind.SubscriptionConfirmation => !string.IsNullOrEmpty(envelope.SubscriptionId),
                EnvelopeKind.Delivery => envelope.Notification is not null && envelope.Delivery is { SubscriptionId.Length: > 0, Attempt: >= 1 },
                EnvelopeKind.FanOutPage => envelope.Notification is not null && envelope.Page is { Through.Length: > 0 },
                _ => false,
            };
            if (complete)
            {
                return true;
            }

            reason = $"a {envelope.Kind} envelope without its content";
        }
        catch (EnvelopeFormatException ex)
        {
            reason = ex.Message;
        }
        catch (JsonException ex)
        {
            // The parser's message may quote the body; only its position is logged.
            reason = $"invalid JSON for an envelope at line {ex.LineNumber}, byte {ex.BytePositionInLine}";
        }

        Log.Poison(_logger, message.Id, message.ReceiveCount, reason);
        envelope = null!;
        return false;
    }

    /// <summary>How one subscriber's task ended, and for a delivery, how the delivery's turn ended.</summary>
    private readonly record struct TaskResult(TaskEnd End, DeliveryTurn? Turn, DeliveryEnd? Delivery)
    {
        public static TaskResult Cancelled => new(TaskEnd.Cancelled, null, null);

        public static TaskResult Failed => new(TaskEnd.Failed, null, null);
    }

    /// <summary>How one subscriber's task ended.</summary>
    private enum TaskEnd
    {
        /// <summary>Delivered, scheduled, dead-lettered or dropped; or a confirmation request sent or given up.</summary>
        Ended,

        /// <summary>Cancelled by shutdown before it ended.</summary>
        Cancelled,

        /// <summary>Threw something unexpected (a bug or a start-up race), so neither delivered nor given up.</summary>
        Failed,
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning,
            "Deleted queue message {MessageId} (received {ReceiveCount} time(s)) as poison: {Reason}",
            EventName = "PoisonMessage")]
        public static partial void Poison(ILogger logger, string messageId, int receiveCount, string reason);

        [LoggerMessage(201, LogLevel.Error,
            "Looking up the subscribers of message {MessageId} (or queueing the pages of its fan-out) failed; it comes back when its visibility timeout ends",
            EventName = "SubscriberLookupFailed")]
        public static partial void LookupFailed(ILogger logger, Exception exception, string messageId);

        [LoggerMessage(259, LogLevel.Information,
            "No fan-out page permit freed (this host delivers at most {Pages} pages at once); handing page {MessageId} back to the queue",
            EventName = "NoPagePermit")]
        public static partial void NoPagePermit(ILogger logger, int pages, string messageId);

        [LoggerMessage(204, LogLevel.Information,
            "No delivery slot freed within {HandBackAfter} for message {MessageId}; handed back to the queue for another Sender",
            EventName = "NoDeliveryCapacity")]
        public static partial void NoCapacity(ILogger logger, TimeSpan handBackAfter, string messageId);

        [LoggerMessage(205, LogLevel.Debug,
            "Stopping: message {MessageId} was waiting for a delivery slot and is handed back to the queue",
            EventName = "HandedBackOnStop")]
        public static partial void HandedBackOnStop(ILogger logger, string messageId);

        [LoggerMessage(209, LogLevel.Error,
            "Delivering message {MessageId} to subscription {SubscriptionId} ({Protocol}) failed unexpectedly",
            EventName = "DeliveryFailed")]
        public static partial void DeliveryFailed(
            ILogger logger, Exception exception, string messageId, string subscriptionId, Protocol protocol);

        [LoggerMessage(217, LogLevel.Warning,
            "{Failed} of {Total} deliveries of message {MessageId} failed unexpectedly (receive {ReceiveCount} of {MaxReceiveCount}); " +
            "it comes back when its visibility timeout ends",
            EventName = "DeliveriesFailedWillRetry")]
        public static partial void FailedWillRetry(ILogger logger, int failed, int total, string messageId, int receiveCount, int maxReceiveCount);

        [LoggerMessage(218, LogLevel.Error,
            "{Failed} of {Total} deliveries of message {MessageId} failed unexpectedly on its last allowed receive ({ReceiveCount}); " +
            "the message is given up and deleted",
            EventName = "DeliveriesFailedGivenUp")]
        public static partial void FailedGivenUp(ILogger logger, int failed, int total, string messageId, int receiveCount);

        [LoggerMessage(210, LogLevel.Warning,
            "{Unfinished} of {Total} deliveries of message {MessageId} were cancelled by shutdown; handing it back to the queue",
            EventName = "DeliveriesUnfinished")]
        public static partial void Unfinished(ILogger logger, int unfinished, int total, string messageId);

        [LoggerMessage(211, LogLevel.Error,
            "Handling message {MessageId} failed unexpectedly; it comes back when its visibility timeout ends",
            EventName = "HandlingFailed")]
        public static partial void HandlingFailed(ILogger logger, Exception exception, string messageId);

        [LoggerMessage(212, LogLevel.Error,
            "Could not delete message {MessageId} after its deliveries ended; it will be delivered again when its visibility timeout ends",
            EventName = "DeleteFailed")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string messageId);

        [LoggerMessage(213, LogLevel.Warning,
            "Handing back message {MessageId} failed; it comes back when its visibility timeout ends",
            EventName = "HandBackFailed")]
        public static partial void HandBackFailed(ILogger logger, Exception exception, string messageId);

        [LoggerMessage(214, LogLevel.Information,
            "Stopping: waiting up to {DrainTimeout} for {Count} message(s) in delivery",
            EventName = "Draining")]
        public static partial void Draining(ILogger logger, int count, TimeSpan drainTimeout);

        [LoggerMessage(215, LogLevel.Warning,
            "Stopping: {Count} message(s) still in delivery after {DrainTimeout}; cancelling them and handing them back to the queue",
            EventName = "DrainTimedOut")]
        public static partial void DrainTimedOut(ILogger logger, int count, TimeSpan drainTimeout);

        [LoggerMessage(216, LogLevel.Warning,
            "Stopping: the shutdown deadline passed with {Count} message(s) still settling; their visibility timeout will bring them back",
            EventName = "DrainAbandoned")]
        public static partial void DrainAbandoned(ILogger logger, int count);
    }
}
