using System.Text.Json.Serialization;

namespace Notify.Metadata.Model;

/// <summary>How a subscriber receives messages.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Protocol>))]
public enum Protocol
{
    [JsonStringEnumMemberName("webhook")]
    Webhook,

    [JsonStringEnumMemberName("email")]
    Email,

    [JsonStringEnumMemberName("sms")]
    Sms,
}
