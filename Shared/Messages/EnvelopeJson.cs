using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Shared.Messages;

/// <summary>Source-generated JSON for the queue's payloads: the hot path of every publish and delivery.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QueueEnvelope))]
public sealed partial class EnvelopeJson : JsonSerializerContext
{
    public static string Serialize(QueueEnvelope envelope) => JsonSerializer.Serialize(envelope, Default.QueueEnvelope);

    /// <exception cref="JsonException">The body is not an envelope.</exception>
    public static QueueEnvelope Deserialize(string body) =>
        JsonSerializer.Deserialize(body, Default.QueueEnvelope) ?? throw new JsonException("The queue message body is null.");
}
