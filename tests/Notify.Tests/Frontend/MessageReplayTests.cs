using Microsoft.Extensions.Logging.Abstractions;
using Notify.Frontend.Publishing;
using Notify.Frontend.Replay;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Metadata.Retention;
using Notify.Shared.Messages;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Frontend;

/// <summary>
/// A replay on the embedded engines (kept messages in <c>deliveries.db</c>, work in <c>queue.db</c>): what it
/// queues, for whom, marked how, and where a call stops.
/// </summary>
public sealed class MessageReplayTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly SqliteRetainedMessages _retained;
    private readonly SqliteMessageQueue _queue;
    private readonly MessageReplay _replay;

    public MessageReplayTests()
    {
        _retained = new SqliteRetainedMessages(_directory.File("deliveries.db"), TestCipher.Instance, _clock);
        _queue = new SqliteMessageQueue(_directory.File("queue.db"), TestCipher.Instance, _clock, NullLogger<SqliteMessageQueue>.Instance);
        _replay = new MessageReplay(_retained, new SubscriberRequeue(_queue, _clock), NullLogger<MessageReplay>.Instance);
    }

    [Fact]
    public async Task Replay_QueuesTheWindowsMessages_AsFreshDeliveryWorkOfTheSubscription_MarkedAsAReplay()
    {
        var messages = await KeepAsync(3);

        var answer = await _replay.ReplayAsync(Subscriber(), new TimeWindow(Now.AddSeconds(1), Now.AddSeconds(2)), null, default);

        Assert.Equal(1, answer.Queued);
        Assert.Null(answer.NextCursor);
        var work = Assert.Single(await QueuedAsync());
        Assert.Equal(EnvelopeKind.Delivery, work.Kind);
        Assert.Equal(messages[1], work.Notification!.MessageId);
        Assert.True(work.Notification.Replay);
        Assert.Equal("sub-1", work.Delivery!.SubscriptionId);
        Assert.Equal((1, Now, false, false), (work.Delivery.Attempt, work.Delivery.DueAt, work.Delivery.Redrive, work.Delivery.Retrying));
    }

    [Fact]
    public async Task Replay_LeavesOutWhatTheFilterPolicyWouldNotHaveAdmitted()
    {
        await KeepAsync(4, i => i % 2 == 0 ? "eu" : "us");

        var answer = await _replay.ReplayAsync(
            Subscriber() with { FilterPolicy = """{"region":["eu"]}""" }, new TimeWindow(Now, Now.AddMinutes(1)), null, default);

        Assert.Equal(2, answer.Queued);
        Assert.All(await QueuedAsync(), w => Assert.Equal("eu", w.Notification!.Attributes!["region"]));
    }

    /// <summary>One call reads at most 1,000 kept messages; its cursor continues with the rest, not the same again.</summary>
    [Fact]
    public async Task Replay_OfMoreThanACallTakes_ContinuesWithItsCursor()
    {
        await KeepAsync(1001);
        var window = new TimeWindow(Now, Now.AddHours(1));

        var first = await _replay.ReplayAsync(Subscriber(), window, null, default);
        var rest = await _replay.ReplayAsync(Subscriber(), window, first.NextCursor, default);

        Assert.Equal(1000, first.Queued);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(1, rest.Queued);
        Assert.Null(rest.NextCursor);
        Assert.Equal(1001, (await _queue.GetDepthAsync(default)).Waiting);
    }

    public void Dispose()
    {
        // The queue first: it holds the file open.
        _queue.Dispose();
        _directory.Dispose();
    }

    private static Subscription Subscriber() => new()
    {
        Id = "sub-1",
        Topic = "orders",
        Protocol = Protocol.Webhook,
        Endpoint = "https://hooks.example/a",
        Status = SubscriptionStatus.Confirmed,
        CreatedAt = Now,
    };

    /// <summary>Keeps <paramref name="count"/> messages of <c>orders</c>, one a second from <see cref="Now"/>; returns their ids.</summary>
    private async Task<List<string>> KeepAsync(int count, Func<int, string>? region = null)
    {
        var ids = new List<string>(count);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(100))
        {
            await Task.WhenAll(chunk.Select(i =>
            {
                var publishedAt = Now.AddSeconds(i);
                var id = $"{publishedAt.ToUnixTimeMilliseconds() << 12:x15}{i:x17}";
                var notification = new Notification
                {
                    MessageId = id,
                    Topic = "orders",
                    Message = $"message {i}",
                    Attributes = region is null ? null : new Dictionary<string, string> { ["region"] = region(i) },
                    Timestamp = publishedAt,
                };
                return _retained.KeepAsync(new RetainedMessage
                {
                    Topic = "orders", MessageId = id, PublishedAt = publishedAt,
                    Envelope = EnvelopeJson.Serialize(QueueEnvelope.For(notification)), ExpiresAt = publishedAt.AddDays(1),
                }, default);
            }));
            ids.AddRange(chunk.Select(i => $"{Now.AddSeconds(i).ToUnixTimeMilliseconds() << 12:x15}{i:x17}"));
        }

        return ids;
    }

    private async Task<List<QueueEnvelope>> QueuedAsync()
    {
        var envelopes = new List<QueueEnvelope>();
        while ((await _queue.ReceiveAsync(10, TimeSpan.FromMinutes(1), TimeSpan.Zero, default)) is { Count: > 0 } received)
        {
            envelopes.AddRange(received.Select(m => EnvelopeJson.Deserialize(m.Body)));
        }

        return envelopes;
    }
}
