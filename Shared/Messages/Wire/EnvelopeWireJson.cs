using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Shared.Messages.Wire;

/// <summary>Source-generated JSON for the queue's payloads: the hot path of every publish and delivery.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnvelopeWire))]
internal sealed partial class EnvelopeWireJson : JsonSerializerContext;
