using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// The secrets a test sends to Notify, each a value no log line has any reason to contain, and the
/// check that none of them reached a log in any spelling a logger or formatter could give it. Add a
/// secret where it is sent (<see cref="New"/> for a made-up one, <see cref="Add"/> for one Notify
/// issued, such as a confirm token taken from a delivery).
/// </summary>
public sealed class LogSecrets
{
    private readonly List<(string Place, string Value)> _secrets = [];

    /// <summary>Every secret so far, with where it was sent.</summary>
    public IReadOnlyList<(string Place, string Value)> All => _secrets;

    /// <summary>A fresh value for <paramref name="place"/>: lower-case letters and digits, so it is a valid token, email local part, header or path segment.</summary>
    public string New(string place, string prefix = "zq")
    {
        var value = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        return Add(place, value);
    }

    /// <summary>Records a secret made elsewhere; returns it.</summary>
    public string Add(string place, string value)
    {
        if (value.Length < 8)
        {
            throw new ArgumentException($"The secret for {place} is too short to be told apart from other text: '{value}'.", nameof(value));
        }

        _secrets.Add((place, value));
        return value;
    }

    /// <summary>Fails, naming each secret and the lines it appeared in, when any secret is in <paramref name="log"/>.</summary>
    public void AssertNoneIn(string log)
    {
        var lines = log.Split('\n');
        var leaks = new StringBuilder();
        foreach (var (place, value) in _secrets)
        {
            foreach (var spelling in Spellings(value))
            {
                var hits = lines.Where(l => l.Contains(spelling, StringComparison.OrdinalIgnoreCase)).Take(3).ToList();
                if (hits.Count > 0)
                {
                    leaks.AppendLine($"{place} ('{spelling}') is in the log:");
                    hits.ForEach(h => leaks.AppendLine("    " + h.Trim()));
                    break;
                }
            }
        }

        Assert.True(leaks.Length == 0, $"Secrets reached the log ({_secrets.Count} checked):\n{leaks}");
    }

    /// <summary>How a value can appear in a log: as sent, URL-encoded (both ways), JSON-escaped (the JSON console formatter escapes '+', '&lt;' and more).</summary>
    private static IEnumerable<string> Spellings(string value) => new[]
    {
        value,
        Uri.EscapeDataString(value),
        WebUtility.UrlEncode(value),
        JsonEncodedText.Encode(value).ToString(),
        JsonSerializer.Serialize(value).Trim('"'),
    }.Distinct(StringComparer.Ordinal);
}
