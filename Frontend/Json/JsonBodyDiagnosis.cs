using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Notify.Frontend.Validation;

namespace Notify.Frontend.Json;

/// <summary>
/// Says why System.Text.Json refused a request body, in the API's terms: the JSON path of each problem and
/// what the field takes ("<c>attributes.region</c> must be a string, not a number"; "Unknown field 'subjct';
/// did you mean 'subject'?"). The serializer's own messages name .NET types and stop at the first problem, so
/// the body is walked again against the same contract metadata the serializer used. This runs only for
/// bodies already refused, never on the path of a valid request.
/// </summary>
internal sealed class JsonBodyDiagnosis
{
    /// <summary>The error key of problems with the body as a whole.</summary>
    public const string BodyField = "body";

    // Enough to fix a request; a body with hundreds of wrong fields does not need hundreds of messages.
    private const int MaxErrors = 10;

    private readonly JsonSerializerOptions _options;
    private readonly ValidationErrors _errors = new();
    private int _count;

    private JsonBodyDiagnosis(JsonSerializerOptions options) => _options = options;

    public static ValidationErrors Explain(ReadOnlySequence<byte> body, JsonTypeInfo root, JsonException refusal)
    {
        var diagnosis = new JsonBodyDiagnosis(root.Options);
        var reader = new Utf8JsonReader(body);
        try
        {
            reader.Read();
            diagnosis.Value(ref reader, root.Type, "$", allowNull: false);
            if (reader.Read())
            {
                diagnosis.Add(BodyField, "The body must be one JSON object; there is more after it.");
            }
        }
        catch (JsonException syntax)
        {
            diagnosis.Add(BodyField, $"The request body is not valid JSON at line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}: {WithoutPosition(syntax.Message)}");
        }

        if (diagnosis._count == 0)
        {
            // The walk and the serializer disagree; the serializer's path is still right, its wording is not for callers.
            var path = refusal.Path ?? "$";
            diagnosis.Add(FieldOf(path), $"The value at {path} is not valid for this field; see the request schema at /openapi/v1.json.");
        }

        return diagnosis._errors;
    }

    private void Value(ref Utf8JsonReader reader, Type type, string path, bool allowNull)
    {
        if (type == typeof(JsonElement))
        {
            // Raw JSON (a merge patch's field, a filter policy): any value, null included; its handler checks it.
            reader.Skip();
            return;
        }

        if (reader.TokenType == JsonTokenType.Null)
        {
            if (!allowNull)
            {
                Add(FieldOf(path), $"{Name(path)} must not be null; leave the field out instead.");
            }

            return;
        }

        var info = _options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                ObjectValue(ref reader, info, path);
                break;
            case JsonTypeInfoKind.Dictionary:
                DictionaryValue(ref reader, info, path);
                break;
            case JsonTypeInfoKind.Enumerable:
                ArrayValue(ref reader, info, path);
                break;
            default:
                ScalarValue(ref reader, Nullable.GetUnderlyingType(type) ?? type, path);
                break;
        }
    }

    private void ObjectValue(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (info.Type == typeof(JsonElement) || !ExpectStart(ref reader, JsonTokenType.StartObject, path, "a JSON object"))
        {
            reader.Skip();
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var property = info.Properties.FirstOrDefault(p => p.Name == name);
            var propertyPath = Child(path, name);
            reader.Read();
            if (!seen.Add(name))
            {
                Add(FieldOf(propertyPath), $"{Name(propertyPath)} appears more than once; send each field once.");
                reader.Skip();
            }
            else if (property is null)
            {
                Add(FieldOf(propertyPath), FieldSuggestion.UnknownField(name, info.Properties.Select(p => p.Name).ToList(), path == "$" ? "this call" : Name(path)));
                reader.Skip();
            }
            else
            {
                Value(ref reader, property.PropertyType, propertyPath, property.IsSetNullable);
            }
        }

        foreach (var required in info.Properties.Where(p => p.IsRequired && !seen.Contains(p.Name)))
        {
            var missing = Child(path, required.Name);
            Add(FieldOf(missing), $"{Name(missing)} is required.");
        }
    }

    private void DictionaryValue(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (!ExpectStart(ref reader, JsonTokenType.StartObject, path, $"an object whose values are {JsonTypeNames.Plural(JsonTypeNames.Expected(info.ElementType!))}"))
        {
            reader.Skip();
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var keyPath = Child(path, key);
            reader.Read();
            if (!seen.Add(key))
            {
                Add(FieldOf(keyPath), $"The key '{key}' appears more than once in {Name(path)}; send each key once.");
                reader.Skip();
                continue;
            }

            Value(ref reader, info.ElementType!, keyPath, allowNull: !info.ElementType!.IsValueType);
        }
    }

    private void ArrayValue(ref Utf8JsonReader reader, JsonTypeInfo info, string path)
    {
        if (!ExpectStart(ref reader, JsonTokenType.StartArray, path, $"an array of {JsonTypeNames.Plural(JsonTypeNames.Expected(info.ElementType!))}"))
        {
            reader.Skip();
            return;
        }

        for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
        {
            Value(ref reader, info.ElementType!, $"{path}[{index}]", allowNull: false);
        }
    }

    private void ScalarValue(ref Utf8JsonReader reader, Type type, string path)
    {
        if (type == typeof(string) && reader.TokenType == JsonTokenType.String)
        {
            if (!IsValidText(ref reader))
            {
                Add(FieldOf(path), $"{Name(path)} is not valid Unicode text: it holds a lone surrogate escape (\\uD800 to \\uDFFF without its pair).");
            }

            return;
        }

        var fits = type switch
        {
            _ when type == typeof(bool) => reader.TokenType is JsonTokenType.True or JsonTokenType.False,
            _ when type == typeof(int) => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out _),
            _ when type == typeof(long) => reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _),
            _ when type == typeof(double) || type == typeof(decimal) => reader.TokenType == JsonTokenType.Number,
            _ when type == typeof(DateTimeOffset) => reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out _),
            _ when type.IsEnum => reader.TokenType == JsonTokenType.String && JsonTypeNames.EnumNames(type).Contains(reader.GetString()!),
            _ when type == typeof(string) => false,
            _ => true,
        };

        if (!fits)
        {
            Add(FieldOf(path), $"{Name(path)} must be {JsonTypeNames.Expected(type)}, not {JsonTypeNames.Actual(ref reader)}.");
        }

        reader.Skip();
    }

    /// <summary>Strings must be valid Unicode: a lone surrogate escape such as \ud800 is not a character.</summary>
    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        try
        {
            reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private bool ExpectStart(ref Utf8JsonReader reader, JsonTokenType start, string path, string expected)
    {
        if (reader.TokenType == start)
        {
            return true;
        }

        Add(path == "$" ? BodyField : FieldOf(path), path == "$"
            ? $"The request body must be {expected}, not {JsonTypeNames.Actual(ref reader)}."
            : $"{Name(path)} must be {expected}, not {JsonTypeNames.Actual(ref reader)}.");
        return false;
    }

    private void Add(string field, string message)
    {
        if (_count < MaxErrors)
        {
            _errors.Add(field, message);
        }

        _count++;
    }

    private static string Child(string path, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? $"{path}.{name}"
            : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>The error key: the JSON path without its root, as the API names fields (<c>attributes.region</c>).</summary>
    private static string FieldOf(string path) => path == "$" ? BodyField : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];

    private static string Name(string path) => $"'{FieldOf(path)}'";

    private static string WithoutPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (at < 0 ? message : message[..at]).TrimEnd();
    }
}
