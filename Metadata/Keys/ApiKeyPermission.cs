using System.Text.Json.Serialization;

namespace Notify.Metadata.Keys;

/// <summary>What a scoped key may do on its topics; the API names are the lower-case member names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiKeyPermission>))]
public enum ApiKeyPermission
{
    /// <summary>Publish messages to the topics.</summary>
    [JsonStringEnumMemberName("publish")]
    Publish,

    /// <summary>Create, change, enable and delete the topics' subscriptions.</summary>
    [JsonStringEnumMemberName("subscribe")]
    Subscribe,

    /// <summary>Create, change and delete the topics; their stats, dead letters, redrive and replay; and everything read allows.</summary>
    [JsonStringEnumMemberName("manage")]
    Manage,

    /// <summary>Read the topics, their subscriptions, message status, stats and dead letters.</summary>
    [JsonStringEnumMemberName("read")]
    Read,
}
