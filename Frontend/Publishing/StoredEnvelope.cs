using System.Text.Json;
using Notify.Shared.Messages;

namespace Notify.Frontend.Publishing;

/// <summary>
/// Reads the notification of a queue envelope kept in a store (a dead letter's, a retained message's), as it
/// was published.
/// </summary>
internal static class StoredEnvelope
{
    /// <exception cref="JsonException">The stored text is not a notification's envelope (<see cref="EnvelopeFormatException"/> among them).</exception>
    public static Notification Notification(string envelope, string messageId) =>
        EnvelopeJson.Deserialize(envelope).Notification
        ?? throw new EnvelopeFormatException($"The stored envelope of message {messageId} holds no notification.");

    /// <summary>
    /// Why an envelope could not be read, for a log: the parser's own message may quote the stored text, so
    /// only its position is told.
    /// </summary>
    public static string Reason(JsonException exception) =>
        exception is EnvelopeFormatException ? exception.Message : $"invalid JSON at line {exception.LineNumber}, byte {exception.BytePositionInLine}";
}
