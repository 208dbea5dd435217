using Microsoft.Extensions.Options;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Dedup;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Retention;
using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Metrics;
using Notify.Shared.Queue;

namespace Notify.Frontend.Publishing;

/// <summary>
/// Accepts messages: deduplicates, then writes each to the queue and returns only once the queue holds
/// it durably. That return is what a 202 promises. A dedup key is claimed before the write and marked
/// accepted after it (see <see cref="IDedupStore"/>), so a crash in between never makes a repeat look
/// like a duplicate of a message that was not queued.
/// </summary>
internal sealed partial class Publisher(
    IMessageQueue queue,
    IRetainedMessages retained,
    IDedupStore dedup,
    IOptions<DedupOptions> dedupOptions,
    TimeProvider clock,
    NotifyMetrics metrics,
    DeliveryCounters counters,
    ILogger<Publisher> logger)
{
    /// <summary>Accepts a message for a topic that keeps no messages.</summary>
    public Task<PublishResponse> PublishAsync(string topic, PublishRequest request, string? dedupId, CancellationToken cancellationToken) =>
        PublishAsync(topic, retention: null, request, dedupId, cancellationToken);

    /// <summary>
    /// Accepts a message; with <paramref name="retention"/>, its topic keeps it for replay until its publish
    /// time plus that, written before the queue send, so a 202 means both are stored.
    /// </summary>
    public async Task<PublishResponse> PublishAsync(string topic, TimeSpan? retention, PublishRequest request, string? dedupId, CancellationToken cancellationToken)
    {
        var messageId = SortableId.New(clock);
        // Dedup ids are scoped to their topic, as in SNS.
        var key = dedupId is null ? null : topic + "\n" + dedupId;
        if (key is not null)
        {
            // Not the caller's token: a claim cut off midway may still be stored, with nobody to release it.
            // Run to the end (each store bounds its own calls), then the send below decides.
            var holder = await dedup.ClaimAsync(key, messageId, CancellationToken.None);
            if (holder.MessageId != messageId)
            {
                return holder.Accepted
                    ? new PublishResponse(holder.MessageId, Duplicate: true)
                    : throw new DedupPendingException(holder.MessageId, dedupOptions.Value.PendingLease);
            }
        }

        var publishedAt = clock.GetUtcNow();
        var body = EnvelopeJson.Serialize(NotificationEnvelope.For(topic, request, messageId, publishedAt));

        try
        {
            if (retention is { } kept)
            {
                // Before the send: a copy kept for a message that then fails to queue is only ever replayed
                // on request, while a queued message without its copy would be missing from every replay.
                await retained.KeepAsync(
                    new RetainedMessage { Topic = topic, MessageId = messageId, PublishedAt = publishedAt, Envelope = body, ExpiresAt = publishedAt + kept },
                    cancellationToken);
            }

            await queue.SendBatchAsync([new OutgoingMessage(messageId, body)], cancellationToken);
        }
        catch when (key is not null)
        {
            // Not accepted, so a retry with the same key must not be told it was.
            await dedup.ReleaseAsync(key, messageId, CancellationToken.None);
            throw;
        }

        // Counted once queued: the message is accepted whatever becomes of its dedup claim below.
        metrics.Published();
        counters.Add(StatsScope.Topic(topic), new DeliveryCounts(Published: 1, 0, 0, 0, 0));
        if (key is not null)
        {
            await AcceptClaimAsync(key, messageId);
        }

        return new PublishResponse(messageId, Duplicate: false);
    }

    /// <summary>
    /// Marks the claim accepted. The message is queued whatever happens here, so a failure is logged, not
    /// answered: the claim then lapses after its lease and a repeat after that is delivered again.
    /// </summary>
    private async Task AcceptClaimAsync(string key, string messageId)
    {
        try
        {
            // Not the caller's token: the message is queued, and its claim must say so even if the caller left.
            await dedup.AcceptAsync(key, messageId, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.AcceptFailed(logger, messageId, dedupOptions.Value.PendingLease.TotalSeconds, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Queues the confirmation request of a new webhook subscription; the Sender delivers and retries it.</summary>
    public Task RequestConfirmationAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var envelope = QueueEnvelope.ForConfirmation(subscriptionId);
        return queue.SendBatchAsync([new OutgoingMessage(SortableId.New(clock), EnvelopeJson.Serialize(envelope))], cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Message {MessageId} was queued but its dedup claim could not be marked accepted ({ExceptionType}: {Reason}); a repeat of its dedup id after {LeaseSeconds} s will be delivered again", EventName = "DedupAcceptFailed")]
        public static partial void AcceptFailed(ILogger logger, string messageId, double leaseSeconds, string exceptionType, string reason);
    }
}
