using System.Text.Json;

namespace Notify.Frontend.Validation;

/// <summary>
/// Says in API terms why the parser refused a string escape of half a UTF-16 pair (<c>"\ud800"</c>
/// alone). Such a string is no text: UTF-8 cannot hold it, so it could not be delivered as sent.
/// System.Text.Json reports it only as a value that "could not be converted", with the cause in its
/// inner exception, which says UTF-16.
/// </summary>
internal static class UnpairedSurrogate
{
    /// <returns>The problem's detail, or null when <paramref name="error"/> is about something else.</returns>
    public static string? Describe(JsonException error) =>
        error.InnerException is InvalidOperationException { Message: var cause } && cause.Contains("UTF-16", StringComparison.Ordinal)
            ? $"{Field(error.Path)} holds an escape of half a UTF-16 surrogate pair (such as \\ud800 without a \\udc00 to \\udfff after it), which is not a character. Escape both halves of the pair, or send the character itself in UTF-8."
            : null;

    private static string Field(string? path) =>
        path is null or "$" ? "A string" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
