using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Queue;

namespace Notify.Sender.FanOut;

/// <summary>
/// Splits the message of a topic larger than one page into pages (<see cref="FanOutPage"/>), each queued as
/// work of its own, so that any Sender may deliver any page, several at once, and memory stays one page per
/// page under way whatever the topic's size. The split reads the topic a page at a time and marks its
/// progress (<see cref="IFanOutProgress"/>) after each page it queued: a Sender that takes the message
/// again after a crash resumes after the last page marked, so at most one page is queued twice.
/// </summary>
internal sealed partial class FanOutSplitter(
    IMetadataStore store,
    IFanOutProgress progress,
    IMessageQueue queue,
    IOptions<SenderOptions> options,
    IOptions<DeliveryOptions> delivery,
    TimeProvider clock,
    ILogger<FanOutSplitter> logger)
{
    private readonly int _pageSize = options.Value.FanOutPageSize;

    /// <summary>Queues the pages of <paramref name="notification"/>'s fan-out, <paramref name="first"/> first; returns once every page is queued.</summary>
    public async Task SplitAsync(Notification notification, SubscriberPage first, CancellationToken cancellationToken)
    {
        var mark = await progress.GetAsync(notification.MessageId, cancellationToken);
        var after = mark?.After;
        var number = mark?.Pages ?? 0;
        if (mark is not null)
        {
            Log.Resumed(logger, notification.MessageId, number, after!);
        }

        var page = mark is null ? first : await NextPageAsync(notification.Topic, after!, cancellationToken);
        var expires = clock.GetUtcNow() + delivery.Value.MessageStatusRetention;
        while (page.Subscribers.Count > 0)
        {
            number++;
            var through = page.Subscribers[^1].Id;
            var work = QueueEnvelope.ForPage(notification, new FanOutPage { After = after, Through = through, Number = number });
            await queue.SendBatchAsync([new OutgoingMessage(SortableId.New(clock), EnvelopeJson.Serialize(work))], cancellationToken);
            await progress.SaveAsync(notification.MessageId, new FanOutMark(through, number), expires, cancellationToken);
            if (page.ContinueAfter is null)
            {
                break;
            }

            after = through;
            page = await NextPageAsync(notification.Topic, after, cancellationToken);
        }

        Log.Split(logger, notification.MessageId, notification.Topic, number, _pageSize);
    }

    private Task<SubscriberPage> NextPageAsync(string topic, string after, CancellationToken cancellationToken) =>
        store.GetSubscriberPageAsync(topic, after, null, _pageSize, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(257, LogLevel.Information,
            "Message {MessageId} to topic {Topic} is split into {Pages} page(s) of at most {PageSize} subscribers, queued for any Sender",
            EventName = "FanOutSplit")]
        public static partial void Split(ILogger logger, string messageId, string topic, int pages, int pageSize);

        [LoggerMessage(258, LogLevel.Information,
            "Splitting message {MessageId} resumes after page {Pages} (subscriptions through {After} are queued already)",
            EventName = "FanOutSplitResumed")]
        public static partial void Resumed(ILogger logger, string messageId, int pages, string after);
    }
}
