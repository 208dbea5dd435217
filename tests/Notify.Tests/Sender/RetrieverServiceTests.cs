using Microsoft.Extensions.Options;
using Notify.Sender;
using Notify.Sender.Channels;
using Notify.Sender.Processing;
using Notify.Sender.Retrieval;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

public sealed class RetrieverServiceTests : IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly InMemoryQueue _queue = new();
    private readonly InMemoryMetadataStore _store = new();
    private readonly ScriptedChannel _webhooks = new();
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly ProcessorBuilder _parts;

    public RetrieverServiceTests()
    {
        _parts = new ProcessorBuilder(_clock, _logs);
    }
    private readonly FakeLogCollector _logs = new();
    private readonly TestHostLifetime _lifetime = new();
    private MessageProcessor? _processor;
    private RetrieverService? _service;

    public void Dispose()
    {
        _service?.Dispose();
        _processor?.Dispose();
        _lifetime.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public async Task Retriever_ReceivesNothingUntilTheHostHasStarted()
    {
        // The web server's address (the links' base when PublicBaseUrl is unset) is known only then.
        _store.Add("a");
        var message = Notification("m1");
        var service = Service(hostStarted: false);

        await service.StartAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, _queue.Receives);

        _lifetime.Start();
        await _queue.WhenDeletedAsync(message);
        await service.StopAsync(CancellationToken.None);
        Assert.Single(_webhooks.Calls);
    }

    [Fact]
    public async Task Retriever_DeliversQueuedMessagesAndDeletesThem()
    {
        _store.Add("a");
        var messages = new[] { Notification("m1"), Notification("m2"), Notification("m3") };
        var service = Service();

        await service.StartAsync(CancellationToken.None);
        foreach (var message in messages)
        {
            await _queue.WhenDeletedAsync(message);
        }

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(3, _webhooks.Calls.Count);
    }

    [Fact]
    public async Task Retriever_WhenReceiveFails_LogsItAndRetriesAfterABackoffInsteadOfSpinning()
    {
        _store.Add("a");
        _queue.FailNextReceives(1);
        var service = Service(maxRetrievers: 1);

        await service.StartAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await _logs.WhenLoggedAsync("ReceiveFailed");
        Assert.Equal(1, _queue.Receives);

        var message = Notification("m1");
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _queue.WhenDeletedAsync(message);

        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Retriever_WithABacklog_GrowsTheRetrieversAndShrinksThemWhenIdle()
    {
        _store.Add("a");
        var messages = Enumerable.Range(0, 20).Select(i => Notification($"m{i}")).ToArray();
        var service = Service(maxRetrievers: 4, batchSize: 2);

        await service.StartAsync(CancellationToken.None);
        await _logs.WhenLoggedAsync("RetrieversGrew");
        foreach (var message in messages)
        {
            await _queue.WhenDeletedAsync(message);
        }

        await _logs.WhenLoggedAsync("RetrieversShrank");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_LetsDeliveriesUnderWayFinishWithinTheDrainTimeout()
    {
        _store.Add("slow");
        var slow = _webhooks.Block("slow");
        var message = Notification("m1");
        var service = Service();
        await service.StartAsync(CancellationToken.None);
        await _webhooks.WhenStartedAsync("slow");

        var stop = service.StopAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(DrainTimeout);
        slow.SetResult();

        await Eventually.Within(stop);
        Assert.True(_queue.IsDeleted(message));
    }

    [Fact]
    public async Task Stop_StopsReceivingAndHandsBackWhatOutlastsTheDrainTimeout()
    {
        _store.Add("stuck");
        _webhooks.Block("stuck");
        var message = Notification("m1");
        var service = Service();
        await service.StartAsync(CancellationToken.None);
        await _webhooks.WhenStartedAsync("stuck");

        var stop = service.StopAsync(CancellationToken.None);
        await _clock.WaitForTimerAsync(DrainTimeout);
        _clock.Advance(DrainTimeout);

        await Eventually.Within(stop);
        Assert.True(service.ExecuteTask!.IsCompleted);
        Assert.Equal(1, _queue.VisibilityChangesOf(message, TimeSpan.Zero));
        Assert.False(_queue.IsDeleted(message));
    }

    private RetrieverService Service(int maxRetrievers = 2, int batchSize = 10, bool hostStarted = true)
    {
        if (hostStarted)
        {
            _lifetime.Start();
        }

        var options = Options.Create(new SenderOptions
        {
            MinRetrievers = 1,
            MaxRetrievers = maxRetrievers,
            ReceiveBatchSize = batchSize,
            WaitTime = TimeSpan.FromMilliseconds(50),
            DrainTimeout = DrainTimeout,

            // Far from every other timer of these tests, which wait for timers by their due time.
            SubscriptionRecheckInterval = TimeSpan.FromHours(1),
        });
        _processor = _parts.Build(_queue, _store, [_webhooks], options.Value);
        _service = new RetrieverService(_queue, _processor, options, _clock, _lifetime, new FakeLogger<RetrieverService>(_logs));
        return _service;
    }

    private ReceivedMessage Notification(string id) => _queue.Enqueue(id, EnvelopeJson.Serialize(QueueEnvelope.For(new Notification
    {
        MessageId = id,
        Topic = "orders",
        Message = "order 42 shipped",
        Timestamp = DateTimeOffset.UnixEpoch,
    })));
}
