using System.Text.Json;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Publishing;
using Notify.Metadata.Deliveries;
using Notify.Shared.Messages;

namespace Notify.Frontend.DeadLetters;

/// <summary>
/// Puts dead letters back on the queue as delivery work of their subscription (attempt 1, due now, marked
/// as a redrive). The dead letter itself stays: the Sender deletes it once it delivers the message, so a
/// redrive that fails again loses nothing.
/// </summary>
internal sealed partial class DeadLetterRedrive(IDeliveryStore deliveries, SubscriberRequeue requeue, ILogger<DeadLetterRedrive> logger)
{
    /// <summary>How many dead letters are read (and queued) at a time.</summary>
    private const int PageSize = 100;

    /// <summary>Redrives the named dead letters; an id without one is skipped.</summary>
    public async Task<RedriveResponse> RedriveAsync(string subscriptionId, IReadOnlyList<string> messageIds, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        foreach (var messageId in messageIds.Distinct(StringComparer.Ordinal))
        {
            if (await deliveries.GetDeadLetterAsync(subscriptionId, messageId, cancellationToken) is { } letter)
            {
                letters.Add(letter);
            }
        }

        return new RedriveResponse(await EnqueueAsync(subscriptionId, letters, cancellationToken), More: false, NextCursor: null);
    }

    /// <summary>
    /// Redrives the dead letters published in <paramref name="window"/> (all when null) from
    /// <paramref name="cursor"/> on, at most <see cref="RedriveLimits.MaxPerCall"/>; the answer's cursor continues.
    /// </summary>
    /// <exception cref="Metadata.Store.InvalidCursorException">The cursor is not one this listing produced.</exception>
    public async Task<RedriveResponse> RedriveAsync(string subscriptionId, TimeWindow? window, string? cursor, CancellationToken cancellationToken)
    {
        var redriven = 0;
        var read = 0;
        do
        {
            var page = await deliveries.ListDeadLettersAsync(
                subscriptionId, window, Math.Min(PageSize, RedriveLimits.MaxPerCall - read), cursor, cancellationToken);
            read += page.Items.Count;
            redriven += await EnqueueAsync(subscriptionId, page.Items, cancellationToken);
            cursor = page.NextCursor;
        }
        while (cursor is not null && read < RedriveLimits.MaxPerCall);

        return new RedriveResponse(redriven, More: cursor is not null, NextCursor: cursor);
    }

    private async Task<int> EnqueueAsync(string subscriptionId, IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        if (letters.Count == 0)
        {
            return 0;
        }

        var notifications = new List<Notification>(letters.Count);
        foreach (var letter in letters)
        {
            try
            {
                notifications.Add(DeadLetterEnvelope.Notification(letter));
            }
            catch (JsonException exception)
            {
                // One unreadable record must not hold back the others; it stays for its owner to delete.
                Log.Unreadable(logger, subscriptionId, letter.MessageId, StoredEnvelope.Reason(exception));
            }
        }

        var queued = await requeue.QueueAsync(subscriptionId, notifications, redrive: true, cancellationToken);
        if (queued > 0)
        {
            Log.Redriven(logger, queued, subscriptionId);
        }

        return queued;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Redrove {Count} dead letters of subscription {SubscriptionId}", EventName = "DeadLettersRedriven")]
        public static partial void Redriven(ILogger logger, int count, string subscriptionId);

        [LoggerMessage(2, LogLevel.Error, "The dead letter of message {MessageId} (subscription {SubscriptionId}) keeps an envelope that cannot be read ({Reason}); it was not redriven", EventName = "DeadLetterUnreadable")]
        public static partial void Unreadable(ILogger logger, string subscriptionId, string messageId, string reason);
    }
}
