using System.Globalization;
using Constructs;

namespace Notify.Cdk;

/// <summary>
/// Context values as strings, ints and bools: from the command line (<c>-c name=value</c>) they arrive as
/// strings, from <c>cdk.json</c> or a test as JSON values, so each is read through its text.
/// </summary>
internal sealed class ContextReader(Node node)
{
    public string? String(string name) =>
        node.TryGetContext(name) is { } value && Convert.ToString(value, CultureInfo.InvariantCulture) is { Length: > 0 } text ? text : null;

    public int Int(string name, int fallback, int min, int max)
    {
        if (String(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"Context value {name} must be a whole number from {min} to {max}, not '{text}'.");
    }

    public bool Bool(string name, bool fallback) => String(name) switch
    {
        null => fallback,
        { } text when bool.TryParse(text, out var value) => value,
        { } text => throw new ArgumentException($"Context value {name} must be true or false, not '{text}'."),
    };
}
