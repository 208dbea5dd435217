using System.Text;
using System.Text.Json;
using Notify.Shared.Filtering.Conditions;

namespace Notify.Shared.Filtering;

/// <summary>Reads a whole policy and holds it to SNS's limits.</summary>
internal static class FilterPolicyParser
{
    public const int MaxBytes = 16 * 1024;
    public const int MaxKeys = 5;
    public const int MaxCombinations = 150;

    // Deep enough for {"k": [{"anything-but": {"prefix": "x"}}]}; anything deeper is refused as it parses.
    private const int MaxDepth = 8;

    /// <exception cref="FilterPolicyException">The policy is refused.</exception>
    public static IReadOnlyList<(string Name, FilterCondition[] Conditions)> Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FilterPolicyException(FilterPath.Root, "a filter policy is a JSON object of attribute names, each with an array of conditions, such as {\"region\": [\"eu\"]}.");
        }

        var keys = new List<(string, FilterCondition[])>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long combinations = 1;
        foreach (var attribute in root.EnumerateObject())
        {
            var path = FilterPath.Key(attribute.Name);
            if (!names.Add(attribute.Name))
            {
                throw new FilterPolicyException(path, "the attribute appears twice; list all its conditions in one array.");
            }

            var conditions = Conditions(attribute.Value, path);
            keys.Add((attribute.Name, conditions));
            combinations *= conditions.Length;
        }

        if (keys.Count == 0)
        {
            throw new FilterPolicyException(FilterPath.Root, "a filter policy names at least one attribute; to receive every message, set no policy.");
        }

        if (keys.Count > MaxKeys)
        {
            throw new FilterPolicyException(FilterPath.Root, $"a filter policy names at most {MaxKeys} attributes; this one names {keys.Count}.");
        }

        return combinations <= MaxCombinations
            ? keys
            : throw new FilterPolicyException(FilterPath.Root, $"the policy has {combinations:N0} combinations (its arrays' lengths multiplied); the limit is {MaxCombinations}.");
    }

    /// <exception cref="FilterPolicyException">The text is too large or not JSON.</exception>
    public static JsonDocument Read(string json)
    {
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > MaxBytes)
        {
            throw new FilterPolicyException(FilterPath.Root, $"the policy takes {bytes:N0} bytes of UTF-8; the limit is {MaxBytes:N0} (16 KiB).");
        }

        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException error)
        {
            throw new FilterPolicyException(
                FilterPath.Root,
                $"not valid JSON at line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1}, or nested deeper than a policy can be.");
        }
    }

    private static FilterCondition[] Conditions(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            throw new FilterPolicyException(path, "nested policies filter on the message body, which Notify does not do; give the attribute an array of conditions.");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FilterPolicyException(path, "an attribute's conditions are an array, such as [\"eu\"].");
        }

        var conditions = new FilterCondition[value.GetArrayLength()];
        if (conditions.Length == 0)
        {
            throw new FilterPolicyException(path, "the array needs at least one condition.");
        }

        var index = 0;
        foreach (var condition in value.EnumerateArray())
        {
            conditions[index] = ConditionParser.Parse(condition, FilterPath.Index(path, index));
            index++;
        }

        return conditions;
    }
}
