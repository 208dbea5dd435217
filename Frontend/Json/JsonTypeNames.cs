using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Json;

/// <summary>JSON types as the API's documentation names them, never as .NET names them.</summary>
internal static class JsonTypeNames
{
    public static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) => "an integer",
            _ when type == typeof(double) || type == typeof(decimal) => "a number",
            _ when type == typeof(DateTimeOffset) => "a date and time such as \"2026-12-02T10:00:00Z\" (RFC 3339)",
            _ when type.IsEnum => "one of " + string.Join(", ", EnumNames(type).Select(n => $"\"{n}\"")),
            _ when type.IsAssignableTo(typeof(IDictionary)) => "an object",
            _ when type.IsAssignableTo(typeof(IEnumerable)) => "an array",
            _ => "an object",
        };
    }

    public static string Plural(string expected) => expected switch
    {
        "a string" => "strings",
        "an integer" => "integers",
        "a number" => "numbers",
        "an object" => "objects",
        "an array" => "arrays",
        _ => expected,
    };

    /// <summary>What the reader is on, for "must be a string, not the number 5".</summary>
    public static string Actual(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "the number " + Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => "something else",
    };

    /// <summary>The names an enum is written with in the API (its <see cref="JsonStringEnumMemberNameAttribute"/>s).</summary>
    public static List<string> EnumNames(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name))
            .ToList();
}
