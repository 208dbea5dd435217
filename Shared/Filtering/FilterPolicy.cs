using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using Notify.Shared.Filtering.Conditions;

namespace Notify.Shared.Filtering;

/// <summary>
/// A subscription's filter policy, as SNS's attribute-based ones: which messages the subscription
/// receives, by the message's string attributes. Each key names an attribute and holds an array of
/// conditions; a message matches when, for every key, at least one condition matches its attribute
/// (AND across keys, OR within an array). Conditions: a string (exact, case-sensitive), a number
/// (numerically equal), <c>{"prefix"}</c>, <c>{"suffix"}</c>, <c>{"equals-ignore-case"}</c>,
/// <c>{"anything-but": value, [values] or {"prefix"}}</c>, <c>{"exists": bool}</c> and
/// <c>{"numeric": [...]}</c>. A missing attribute matches only <c>{"exists": false}</c>, and, as in SNS,
/// a message without any attributes matches no policy at all. Limits: 5 keys, 150 combinations
/// (the arrays' lengths multiplied), 16 KiB of JSON; nested (message-body) policies are refused.
/// </summary>
public sealed class FilterPolicy
{
    // The normalised text is stored and returned as JSON data, never placed in HTML or script, so only
    // what JSON itself requires is escaped and non-ASCII names stay readable.
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IReadOnlyList<(string Name, FilterCondition[] Conditions)> _keys;

    private FilterPolicy(IReadOnlyList<(string Name, FilterCondition[] Conditions)> keys, string json)
    {
        _keys = keys;
        Json = json;
    }

    /// <summary>The policy as compact JSON, its keys and conditions in the order given: the text to store.</summary>
    public string Json { get; }

    /// <param name="json">The policy as JSON text.</param>
    /// <param name="policy">The policy, when it is valid.</param>
    /// <param name="error">
    /// Otherwise one sentence naming the place in the policy, for an API caller, such as
    /// <c>filterPolicy.region[1]: "prefix" needs a string.</c>
    /// </param>
    public static bool TryParse(string json, [NotNullWhen(true)] out FilterPolicy? policy, [NotNullWhen(false)] out string? error)
    {
        try
        {
            using var document = FilterPolicyParser.Read(json ?? throw new FilterPolicyException(FilterPath.Root, "a filter policy is a JSON object."));
            var keys = FilterPolicyParser.Parse(document.RootElement);
            policy = new FilterPolicy(keys, Normalise(document.RootElement));
            error = null;
            return true;
        }
        catch (FilterPolicyException refused)
        {
            policy = null;
            error = refused.Message;
            return false;
        }
    }

    /// <param name="attributes">The message's attributes; null or empty when it has none.</param>
    public bool Matches(IReadOnlyDictionary<string, string>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return false;
        }

        foreach (var (name, conditions) in _keys)
        {
            var value = attributes.TryGetValue(name, out var found) ? found : null;
            if (!Array.Exists(conditions, condition => condition.Matches(value)))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Json;

    private static string Normalise(JsonElement root)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            root.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
