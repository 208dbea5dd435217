namespace Notify.Frontend.Json;

/// <summary>The sentence for an unknown field: which field was probably meant, and which fields there are.</summary>
internal static class FieldSuggestion
{
    /// <param name="where">"this call", or the quoted path of the object the field was found in.</param>
    public static string UnknownField(string name, IReadOnlyList<string> known, string where)
    {
        var sameButCase = known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        var hint = sameButCase is not null
            ? $" Did you mean '{sameButCase}'? Field names are case-sensitive."
            : Closest(name, known) is { } meant ? $" Did you mean '{meant}'?" : "";
        return $"Unknown field '{name}'.{hint} The fields of {where} are: {string.Join(", ", known)}.";
    }

    /// <summary>A known name within a typo or two of <paramref name="name"/> (a quarter of its length), if any.</summary>
    private static string? Closest(string name, IReadOnlyList<string> known) =>
        known.Select(k => (Name: k, Distance: Distance(k, name)))
            .Where(c => c.Distance <= Math.Max(1, c.Name.Length / 4))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();

    /// <summary>Levenshtein distance, ignoring case.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
