using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Validation;
using Notify.Shared.Messages;

namespace Notify.Frontend.Publishing;

/// <summary>What an accepted publish puts on the queue.</summary>
internal static class NotificationEnvelope
{
    public static QueueEnvelope For(string topic, PublishRequest request, string messageId, DateTimeOffset timestamp) =>
        QueueEnvelope.For(new Notification
        {
            MessageId = messageId,
            Topic = topic,
            Subject = request.Subject,
            Message = request.DefaultMessage!,
            Messages = PerProtocol(request.Messages),
            Attributes = request.Attributes,
            Timestamp = timestamp,
        });

    // The default body travels once, as Message; only the protocols' own bodies go into Messages.
    private static Dictionary<string, string>? PerProtocol(Dictionary<string, string?>? messages)
    {
        var own = messages?.Where(m => m.Key != PublishRule.DefaultKey && m.Value is not null).ToDictionary(m => m.Key, m => m.Value!);
        return own is { Count: > 0 } ? own : null;
    }
}
