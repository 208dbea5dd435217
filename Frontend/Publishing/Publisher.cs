using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Dedup;
using Notify.Frontend.Validation;
using Notify.Shared.Ids;
using Notify.Shared.Messages;
using Notify.Shared.Queue;

namespace Notify.Frontend.Publishing;

/// <summary>
/// Accepts messages: deduplicates, then writes each to the queue and returns only once the queue holds
/// it durably. That return is what a 202 promises.
/// </summary>
internal sealed class Publisher(IMessageQueue queue, IDedupStore dedup, TimeProvider clock)
{
    public async Task<PublishResponse> PublishAsync(string topic, PublishRequest request, string? dedupId, CancellationToken cancellationToken)
    {
        var messageId = SortableId.New(clock);
        // Dedup ids are scoped to their topic, as in SNS.
        var key = dedupId is null ? null : topic + "\n" + dedupId;
        if (key is not null)
        {
            // Not the caller's token: a claim cut off midway may still be stored, with nobody to release it.
            // Run to the end (each store bounds its own calls), then the send below decides.
            var holder = await dedup.ClaimAsync(key, messageId, CancellationToken.None);
            if (holder != messageId)
            {
                return new PublishResponse(holder, Duplicate: true);
            }
        }

        var envelope = QueueEnvelope.For(new Notification
        {
            MessageId = messageId,
            Topic = topic,
            Subject = request.Subject,
            Message = request.DefaultMessage!,
            Messages = PerProtocol(request.Messages),
            Attributes = request.Attributes,
            Timestamp = clock.GetUtcNow(),
        });

        try
        {
            await queue.SendBatchAsync([new OutgoingMessage(messageId, EnvelopeJson.Serialize(envelope))], cancellationToken);
        }
        catch when (key is not null)
        {
            // Not accepted, so a retry with the same key must not be told it was.
            await dedup.ReleaseAsync(key, messageId, CancellationToken.None);
            throw;
        }

        return new PublishResponse(messageId, Duplicate: false);
    }

    // The default body travels once, as Message; only the protocols' own bodies go into Messages.
    private static Dictionary<string, string>? PerProtocol(Dictionary<string, string?>? messages)
    {
        var own = messages?.Where(m => m.Key != PublishRule.DefaultKey && m.Value is not null).ToDictionary(m => m.Key, m => m.Value!);
        return own is { Count: > 0 } ? own : null;
    }

    /// <summary>Queues the confirmation request of a new webhook subscription; the Sender delivers and retries it.</summary>
    public Task RequestConfirmationAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var envelope = QueueEnvelope.ForConfirmation(subscriptionId);
        return queue.SendBatchAsync([new OutgoingMessage(SortableId.New(clock), EnvelopeJson.Serialize(envelope))], cancellationToken);
    }
}
