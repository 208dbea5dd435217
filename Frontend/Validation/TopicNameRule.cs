using System.Buffers;

namespace Notify.Frontend.Validation;

internal static class TopicNameRule
{
    /// <summary>The characters a name may hold, as the OpenAPI document states them.</summary>
    public const string Pattern = "^[A-Za-z0-9_-]+$";

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <returns>Null when valid, else what to fix.</returns>
    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "A topic name is required: 1 to 256 characters of A-Z, a-z, 0-9, '_' and '-'.";
        }

        if (name.Length > Limits.TopicNameMaxLength)
        {
            return $"The topic name is {name.Length} characters long; the limit is {Limits.TopicNameMaxLength}.";
        }

        var bad = name.AsSpan().IndexOfAnyExcept(Allowed);
        return bad < 0
            ? null
            : $"The topic name contains '{name[bad]}' at position {bad + 1}; use only A-Z, a-z, 0-9, '_' and '-'.";
    }
}
