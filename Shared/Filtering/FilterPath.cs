using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Notify.Shared.Filtering;

/// <summary>Places inside a policy as errors name them: <c>filterPolicy.region[1]</c>, <c>filterPolicy["a.b"]</c>.</summary>
internal static class FilterPath
{
    public const string Root = "filterPolicy";

    // Names with these read ambiguously after a dot, so they are written in brackets.
    private static readonly SearchValues<char> Bracketed = SearchValues.Create(".[]\"' ");

    public static string Key(string name) =>
        name.Length > 0 && name.AsSpan().IndexOfAny(Bracketed) < 0 ? $"{Root}.{name}" : $"{Root}[\"{JsonEncodedText.Encode(name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"]";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public static string Member(string path, string name) => $"{path}.{name}";
}
