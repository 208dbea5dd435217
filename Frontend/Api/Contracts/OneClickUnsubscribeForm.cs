using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Api.Contracts;

/// <summary>What RFC 8058 mail clients post to the List-Unsubscribe URL; documented, not needed (the link's token decides).</summary>
public sealed record OneClickUnsubscribeForm(
    [property: JsonPropertyName("List-Unsubscribe")][property: Description("\"One-Click\".")] string? ListUnsubscribe);
