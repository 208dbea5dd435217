using System.Text.Json;

namespace Notify.Frontend.Validation;

/// <summary>
/// The settings a topic or subscription may carry, as they arrive in a merge patch (raw JSON, where a
/// left-out field is <see cref="JsonValueKind.Undefined"/> and <c>null</c> removes the setting).
/// </summary>
internal static class SettingsRule
{
    public const int DisplayNameMaxLength = 100;

    /// <summary>The display name to store (null: none), or what is wrong with it.</summary>
    public static string? DisplayName(JsonElement value, out string? displayName)
    {
        displayName = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return "The displayName must be a string, or null to remove it.";
        }

        var text = value.GetString()!;
        var length = text.EnumerateRunes().Count();
        if (length is 0 or > DisplayNameMaxLength || text.Any(char.IsControl))
        {
            return $"The displayName must be 1 to {DisplayNameMaxLength} characters without line breaks or other control characters; it is {length}.";
        }

        displayName = text;
        return null;
    }

    /// <summary>The filter policy to store, normalised (null: none), or what is wrong with it.</summary>
    public static string? FilterPolicy(JsonElement? value, out string? policy)
    {
        policy = null;
        if (value is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } given)
        {
            return null;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            return "The filterPolicy must be a JSON object such as {\"region\": [\"eu\"]}, or null to remove it.";
        }

        if (!Shared.Filtering.FilterPolicy.TryParse(given.GetRawText(), out var parsed, out var error))
        {
            return error;
        }

        policy = parsed.Json;
        return null;
    }
}
