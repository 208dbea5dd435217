using Microsoft.Extensions.Logging.Testing;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Sender;
using Notify.Sender.Processing;
using Notify.Shared.Messages;
using Notify.Shared.Queue;
using Notify.Tests.Sender.Support;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

/// <summary>
/// A topic larger than one page: its message is split into pages queued as work of their own, each page
/// delivered by whoever receives it; a split taken up again after a crash resumes after its last marked page.
/// </summary>
public sealed class FanOutPagesTests : IDisposable
{
    private const int PageSize = 3;

    private readonly InMemoryQueue _queue = new();
    private readonly InMemoryMetadataStore _store = new();
    private readonly TimerSignallingTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();
    private readonly ScriptedChannel _webhooks;
    private readonly ProcessorBuilder _parts;
    private MessageProcessor? _processor;

    public FanOutPagesTests()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
        _webhooks = new ScriptedChannel { Clock = _clock };
        _parts = new ProcessorBuilder(_clock, _logs);
    }

    public void Dispose()
    {
        _processor?.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public async Task ATopicOfOnePage_IsDeliveredFromTheMessageItself()
    {
        AddSubscribers(PageSize);

        await HandledAsync(Notification("m1"));

        Assert.Equal(PageSize, _webhooks.Calls.Count);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task ALargerTopic_IsSplitIntoPages_EachDeliveredOnce_AndTheStatusAddsThemUp()
    {
        var ids = AddSubscribers(8);

        await HandledAsync(Notification("m1"));

        // The message itself delivers nothing: three pages are queued (3 + 3 + 2), reading the topic a page at a time.
        Assert.Empty(_webhooks.Calls);
        var pages = _queue.Sent.Select(p => EnvelopeJson.Deserialize(p.Body)).ToList();
        Assert.All(pages, p => Assert.Equal(EnvelopeKind.FanOutPage, p.Kind));
        Assert.Equal([(null, ids[2], 1), (ids[2], ids[5], 2), (ids[5], ids[7], 3)], pages.Select(p => (p.Page!.After, p.Page.Through, p.Page.Number)));
        Assert.Equal(3, _store.SubscriberPageReads);

        foreach (var page in _queue.Sent.ToList())
        {
            await HandledAsync(_queue.Receive(page));
        }

        Assert.Equal(ids, _webhooks.Calls.Select(c => c.SubscriptionId).Order(StringComparer.Ordinal));
        var status = await _parts.Deliveries.GetMessageOutcomeAsync("m1", CancellationToken.None);
        Assert.Equal((8L, 8L), (status!.Subscribers, status.Delivered));
    }

    /// <summary>A split taken up again (the Sender that made it crashed) queues only the pages after its last mark.</summary>
    [Fact]
    public async Task ASplitTakenUpAgain_ResumesAfterTheLastMarkedPage()
    {
        var ids = AddSubscribers(8);
        await _parts.FanOuts.SaveAsync("m1", new FanOutMark(ids[2], 1), _clock.GetUtcNow().AddDays(1), CancellationToken.None);

        await HandledAsync(Notification("m1"));

        var pages = _queue.Sent.Select(p => EnvelopeJson.Deserialize(p.Body).Page!).ToList();
        Assert.Equal([(ids[2], ids[5], 2), (ids[5], ids[7], 3)], pages.Select(p => (p.After, p.Through, p.Number)));
        Assert.Equal(new FanOutMark(ids[7], 3), await _parts.FanOuts.GetAsync("m1", CancellationToken.None));
    }

    /// <summary>
    /// A page taken up again (its Sender crashed before deleting it) delivers its own range again, nothing
    /// more: what a crash repeats is bounded by the pages under way, not by the topic.
    /// </summary>
    [Fact]
    public async Task APageDeliveredTwice_RepeatsOnlyItsOwnSubscribers()
    {
        var ids = AddSubscribers(8);
        await HandledAsync(Notification("m1"));
        var second = _queue.Sent[1];

        await HandledAsync(_queue.Receive(second));
        await HandledAsync(_queue.Receive(second, receiveCount: 2));

        Assert.Equal([ids[3], ids[3], ids[4], ids[4], ids[5], ids[5]], _webhooks.Calls.Select(c => c.SubscriptionId).Order(StringComparer.Ordinal));
    }

    /// <summary>A Sender delivers at most MaxFanOutPagesInFlight pages at once; a page beyond them is handed back for another Sender.</summary>
    [Fact]
    public async Task APageBeyondThePermits_IsHandedBack()
    {
        var ids = AddSubscribers(6);
        var blocked = _webhooks.Block(ids[0]);
        await HandledAsync(Notification("m1"));
        var first = _queue.Receive(_queue.Sent[0]);
        var second = _queue.Receive(_queue.Sent[1]);

        await Processor().AdmitAsync(first, CancellationToken.None);
        await _webhooks.WhenStartedAsync(ids[0]);
        var admitted = Processor().AdmitAsync(second, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        _clock.Advance(TimeSpan.FromSeconds(2));
        await admitted;

        await _queue.WhenVisibilityChangedAsync(second, TimeSpan.Zero);
        Assert.DoesNotContain(_webhooks.Calls, c => c.SubscriptionId == ids[3]);
        Assert.Contains(_logs.GetSnapshot(), r => r.Id.Name == "NoPagePermit");
        blocked.SetResult();
        await _queue.WhenDeletedAsync(first);
    }

    private List<string> AddSubscribers(int count) =>
        Enumerable.Range(0, count).Select(i => _store.Add($"s{i:D2}").Id).ToList();

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
            FanOutPageSize = PageSize,
            MaxFanOutPagesInFlight = 1,
        });
        return _processor;
    }

    private ReceivedMessage Notification(string id) => _queue.Enqueue(id, EnvelopeJson.Serialize(QueueEnvelope.For(new Notification
    {
        MessageId = id,
        Topic = "orders",
        Message = "order 42 shipped",
        Timestamp = _clock.GetUtcNow(),
    })));
}
