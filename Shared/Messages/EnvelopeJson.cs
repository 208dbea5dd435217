using System.Text.Json;
using Notify.Shared.Messages.Wire;

namespace Notify.Shared.Messages;

/// <summary>
/// The queue message body of an envelope. Written in the current format (a notification's texts as
/// UTF-8 in base64, see <see cref="EncodedNotification"/>); read in it and in the format written before
/// it (texts as JSON strings), so messages queued by an earlier version are still delivered.
/// </summary>
public static class EnvelopeJson
{
    public static string Serialize(QueueEnvelope envelope) =>
        JsonSerializer.Serialize(EnvelopeWire.From(envelope), EnvelopeWireJson.Default.EnvelopeWire);

    /// <exception cref="JsonException">The body is not an envelope of either format.</exception>
    public static QueueEnvelope Deserialize(string body) =>
        (JsonSerializer.Deserialize(body, EnvelopeWireJson.Default.EnvelopeWire) ?? throw new EnvelopeFormatException("The queue message body is null."))
            .ToEnvelope();
}
