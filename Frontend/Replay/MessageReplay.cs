using System.Text.Json;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Publishing;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Metadata.Retention;
using Notify.Sender.Processing;
using Notify.Shared.Messages;

namespace Notify.Frontend.Replay;

/// <summary>
/// Queues a topic's retained messages of a publish-time window again for one subscription, as delivery work
/// (attempt 1, due now) marked as a replay, leaving out those its filter policy would not have admitted.
/// </summary>
internal sealed partial class MessageReplay(IRetainedMessages retained, SubscriberRequeue requeue, ILogger<MessageReplay> logger)
{
    /// <summary>How many retained messages are read (and queued) at a time.</summary>
    private const int PageSize = 100;

    private readonly FilterPolicies _policies = new(logger);

    /// <summary>
    /// Replays the window from <paramref name="cursor"/> on: at most <see cref="ReplayLimits.MaxPerCall"/> messages
    /// are read; the answer's cursor continues, null once the window is done.
    /// </summary>
    /// <exception cref="Metadata.Store.InvalidCursorException">The cursor is not one this window's listing produced.</exception>
    public async Task<ReplayResponse> ReplayAsync(Subscription subscription, TimeWindow window, string? cursor, CancellationToken cancellationToken)
    {
        var queued = 0;
        var read = 0;
        do
        {
            var page = await retained.ListAsync(subscription.Topic, window, Math.Min(PageSize, ReplayLimits.MaxPerCall - read), cursor, cancellationToken);
            read += page.Items.Count;
            queued += await requeue.QueueAsync(subscription.Id, Admitted(subscription, page.Items), redrive: false, cancellationToken);
            cursor = page.NextCursor;
        }
        while (cursor is not null && read < ReplayLimits.MaxPerCall);

        Log.Replayed(logger, queued, read, subscription.Id);
        return new ReplayResponse(queued, cursor);
    }

    private List<Notification> Admitted(Subscription subscription, IReadOnlyList<RetainedMessage> messages)
    {
        var admitted = new List<Notification>(messages.Count);
        foreach (var message in messages)
        {
            Notification notification;
            try
            {
                notification = StoredEnvelope.Notification(message.Envelope, message.MessageId);
            }
            catch (JsonException exception)
            {
                // One unreadable record must not hold back the others; it expires in its time.
                Log.Unreadable(logger, message.MessageId, message.Topic, StoredEnvelope.Reason(exception));
                continue;
            }

            if (_policies.Admits(subscription, notification))
            {
                admitted.Add(notification with { Replay = true });
            }
        }

        return admitted;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Replayed {Queued} of {Read} retained messages to subscription {SubscriptionId}", EventName = "MessagesReplayed")]
        public static partial void Replayed(ILogger logger, int queued, int read, string subscriptionId);

        [LoggerMessage(2, LogLevel.Error, "The retained message {MessageId} of topic {Topic} keeps an envelope that cannot be read ({Reason}); it was not replayed", EventName = "RetainedMessageUnreadable")]
        public static partial void Unreadable(ILogger logger, string messageId, string topic, string reason);
    }
}
