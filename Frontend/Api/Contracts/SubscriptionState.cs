using System.Text.Json.Serialization;

namespace Notify.Frontend.Api.Contracts;

/// <summary>A subscription's status as the API shows it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubscriptionState>))]
public enum SubscriptionState
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("confirmed")]
    Confirmed,

    [JsonStringEnumMemberName("opted-out")]
    OptedOut,

    [JsonStringEnumMemberName("unsubscribed")]
    Unsubscribed,

    [JsonStringEnumMemberName("disabled")]
    Disabled,
}
