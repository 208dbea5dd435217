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

    /// <summary>
    /// Turned off after its endpoint answered 410 Gone or failed without a success for
    /// <c>Notify:Delivery:DisableAfter</c> (see <see cref="Subscription.DisabledReason"/>); gets no messages
    /// until enabled again, which makes it <see cref="Confirmed"/>.
    /// </summary>
    [JsonStringEnumMemberName("disabled")]
    Disabled,
}
