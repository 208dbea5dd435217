using Notify.Frontend.Publishing;
using Notify.Metadata.Deliveries;
using Notify.Shared.Messages;

namespace Notify.Frontend.DeadLetters;

/// <summary>Reads the notification a dead letter keeps (its queue envelope, as published).</summary>
internal static class DeadLetterEnvelope
{
    /// <exception cref="System.Text.Json.JsonException">The stored envelope is not a notification's envelope (<see cref="EnvelopeFormatException"/> among them).</exception>
    public static Notification Notification(DeadLetter letter) => StoredEnvelope.Notification(letter.Envelope, letter.MessageId);
}
