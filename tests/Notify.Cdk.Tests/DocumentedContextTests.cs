using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Notify.Cdk.Tests;

/// <summary>
/// The context tables of cdk/README.md and of the README's "Deploying to AWS" give the app's own defaults:
/// each documented name with a default in backticks is a setting whose default is that value.
/// </summary>
public sealed partial class DocumentedContextTests
{
    /// <summary>Context names whose setting has another name.</summary>
    private static readonly Dictionary<string, string> PropertyOf = new(StringComparer.Ordinal) { ["prefix"] = nameof(NotifySettings.ResourcePrefix) };

    [Theory]
    [InlineData("cdk/README.md", 0, 1)]
    [InlineData("README.md", 0, 2)]
    public void DocumentedDefaults_AreTheAppsDefaults(string readme, int nameColumn, int defaultColumn)
    {
        var defaults = new NotifySettings { RepositoryRoot = "/repo" };
        var checkedNames = new List<string>();
        foreach (var (names, documented) in ContextRows(Path.Combine(RepositoryRoot.Find(AppContext.BaseDirectory), readme), nameColumn, defaultColumn))
        {
            // "`a` / `b`" against "`1` / `2`": one default per name, in order; rows without them ("none") say nothing to check.
            if (names.Count != documented.Count)
            {
                continue;
            }

            for (var i = 0; i < names.Count; i++)
            {
                var property = typeof(NotifySettings).GetProperty(PropertyOf.GetValueOrDefault(names[i], char.ToUpperInvariant(names[i][0]) + names[i][1..]), BindingFlags.Public | BindingFlags.Instance);
                if (property is null)
                {
                    continue;
                }

                // Booleans are written true/false in the docs, True/False by .NET.
                var actual = Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture);
                Assert.True(
                    string.Equals(documented[i], actual, property.PropertyType == typeof(bool) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
                    $"{readme} documents {names[i]} = {documented[i]}, the app's default is {actual}");
                checkedNames.Add(names[i]);
            }
        }

        // The tables hold the values that shape cost and data: if they stopped parsing, the test would check nothing.
        Assert.Superset(new HashSet<string> { "prefix", "redisNodes", "redisNodeType", "frontendCount", "senderMaxCount", "retainData" }, checkedNames.ToHashSet());
    }

    private static IEnumerable<(List<string> Names, List<string> Defaults)> ContextRows(string path, int nameColumn, int defaultColumn)
    {
        foreach (var line in File.ReadLines(path))
        {
            var cells = line.Split('|');
            if (cells.Length < 4 || !line.StartsWith("| `", StringComparison.Ordinal))
            {
                continue;
            }

            var names = Code().Matches(cells[nameColumn + 1]).Select(m => m.Groups[1].Value).Where(n => NameLike().IsMatch(n)).ToList();
            var defaults = Code().Matches(cells[defaultColumn + 1]).Select(m => m.Groups[1].Value).ToList();
            yield return (names, defaults);
        }
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex("^[a-z][A-Za-z]+$")]
    private static partial Regex NameLike();
}
