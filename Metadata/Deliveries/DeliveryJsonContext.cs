using System.Text.Json.Serialization;
using Notify.Shared.Messages;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// The attempts of a dead letter as the stores keep them (JSON text in a column or an attribute), generated
/// at build time like the cache's serializers. camelCase, so the stored text reads as the API's.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<DeliveryAttempt>))]
internal sealed partial class DeliveryJsonContext : JsonSerializerContext
{
    public static string Write(IReadOnlyList<DeliveryAttempt> attempts) =>
        System.Text.Json.JsonSerializer.Serialize([.. attempts], Default.ListDeliveryAttempt);

    public static IReadOnlyList<DeliveryAttempt> Read(string json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, Default.ListDeliveryAttempt) ?? [];
}
