using System.Text.Json;
using Notify.Shared.Filtering.Conditions;

namespace Notify.Shared.Filtering;

/// <summary>Reads one element of an attribute's array of conditions.</summary>
/// <exception cref="FilterPolicyException">The condition is not one SNS's attribute filtering knows.</exception>
internal static class ConditionParser
{
    private const string Operators = "prefix, suffix, equals-ignore-case, anything-but, exists or numeric";

    public static FilterCondition Parse(JsonElement condition, string path) => condition.ValueKind switch
    {
        JsonValueKind.String => new ExactMatch(condition.GetString()!),
        JsonValueKind.Number => NumericRange.Exactly(PolicyNumber(condition, path)),
        JsonValueKind.Object => Operator(condition, path),
        _ => throw new FilterPolicyException(path, "a condition is a string, a number or an object such as {\"prefix\": \"eu-\"}."),
    };

    private static FilterCondition Operator(JsonElement condition, string path)
    {
        using var properties = condition.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new FilterPolicyException(path, "a condition object holds exactly one operator, such as {\"prefix\": \"eu-\"}.");
        }

        var (name, operand) = (properties.Current.Name, properties.Current.Value);
        if (properties.MoveNext())
        {
            throw new FilterPolicyException(path, "a condition object holds exactly one operator, such as {\"prefix\": \"eu-\"}.");
        }

        return name switch
        {
            "prefix" => new PrefixMatch(NonEmptyString(operand, path, name)),
            "suffix" => new SuffixMatch(NonEmptyString(operand, path, name)),
            "equals-ignore-case" => new IgnoreCaseMatch(operand.ValueKind == JsonValueKind.String
                ? operand.GetString()!
                : throw new FilterPolicyException(path, "\"equals-ignore-case\" needs a string.")),
            "exists" => new ExistsMatch(operand.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? operand.GetBoolean()
                : throw new FilterPolicyException(path, "\"exists\" needs true or false.")),
            "anything-but" => AnythingBut(operand, path),
            "numeric" => NumericParser.Parse(operand, path),
            _ => throw new FilterPolicyException(path, $"\"{name}\" is not an operator; use {Operators}."),
        };
    }

    private static FilterCondition AnythingBut(JsonElement operand, string path)
    {
        const string Forms = "\"anything-but\" needs a string, a number, an array of them, or {\"prefix\": \"...\"}.";
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return new AnythingBut([operand.GetString()!], []);
            case JsonValueKind.Number:
                return new AnythingBut([], [PolicyNumber(operand, FilterPath.Member(path, "anything-but"))]);
            case JsonValueKind.Object:
                var inner = FilterPath.Member(path, "anything-but");
                using (var properties = operand.EnumerateObject())
                {
                    if (!properties.MoveNext() || properties.Current.Name != "prefix" || properties.MoveNext())
                    {
                        throw new FilterPolicyException(inner, "only {\"prefix\": \"...\"} may stand inside \"anything-but\".");
                    }
                }

                return new AnythingButPrefix(NonEmptyString(operand.GetProperty("prefix"), inner, "prefix"));
            case JsonValueKind.Array:
                return AnythingButList(operand, FilterPath.Member(path, "anything-but"));
            default:
                throw new FilterPolicyException(path, Forms);
        }
    }

    private static AnythingBut AnythingButList(JsonElement values, string path)
    {
        if (values.GetArrayLength() == 0)
        {
            throw new FilterPolicyException(path, "\"anything-but\" needs at least one value to exclude.");
        }

        var strings = new List<string>();
        var numbers = new List<decimal>();
        var index = 0;
        foreach (var value in values.EnumerateArray())
        {
            var at = FilterPath.Index(path, index++);
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    strings.Add(value.GetString()!);
                    break;
                case JsonValueKind.Number:
                    numbers.Add(PolicyNumber(value, at));
                    break;
                default:
                    throw new FilterPolicyException(at, "a value to exclude is a string or a number.");
            }
        }

        return new AnythingBut(strings, numbers);
    }

    private static string NonEmptyString(JsonElement operand, string path, string name) => operand.ValueKind switch
    {
        JsonValueKind.String when operand.GetString() is { Length: > 0 } text => text,
        // An empty prefix would match every value: that is {"exists": true}.
        JsonValueKind.String => throw new FilterPolicyException(path, $"\"{name}\" needs a non-empty string."),
        _ => throw new FilterPolicyException(path, $"\"{name}\" needs a string."),
    };

    public static decimal PolicyNumber(JsonElement number, string path) =>
        FilterNumber.TryReadPolicy(number, out var value)
            ? value
            : throw new FilterPolicyException(path, $"numbers must lie between -{FilterNumber.Limit:N0} and {FilterNumber.Limit:N0}.");
}
