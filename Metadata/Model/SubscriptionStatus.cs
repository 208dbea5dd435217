using System.Text.Json.Serialization;

namespace Notify.Metadata.Model;

[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionStatus>))]
public enum SubscriptionStatus
{
    /// <summary>Waiting for the endpoint's owner to follow the confirmation link; gets no messages.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Receives every message published to the topic.</summary>
    [JsonStringEnumMemberName("confirmed")]
    Confirmed,
}
