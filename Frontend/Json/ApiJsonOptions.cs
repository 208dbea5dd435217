using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Json;

/// <summary>
/// How the API reads and writes JSON: camelCase names matched exactly as documented, unknown fields and
/// duplicate keys refused, numbers only as JSON numbers, and null only where a field allows it. A lenient
/// reader would misread requests silently: <c>{"message":"hi","subjct":"x"}</c> would be accepted and its
/// subject lost. The same settings describe the API in the OpenAPI document, so the two cannot disagree.
/// </summary>
internal static class ApiJsonOptions
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.RespectNullableAnnotations = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
    }
}
