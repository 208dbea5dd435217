using System.Text.RegularExpressions;

namespace Notify.IntegrationTests.Support.Docker;

/// <summary>
/// The repository's <c>.dockerignore</c>: which paths of the build context (the repository root) the
/// builder never sees. Docker's rules: a pattern is anchored at the root, <c>*</c> and <c>?</c> stay
/// within one path segment, <c>**</c> spans any number of them, and a matching folder excludes all it
/// holds. Exceptions (<c>!pattern</c>) are refused rather than half understood.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(string Pattern, Regex Match)> _patterns;

    private DockerIgnore(List<(string, Regex)> patterns) => _patterns = patterns;

    public static DockerIgnore Load() => Parse(File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore")));

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var patterns = new List<(string, Regex)>();
        foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            if (line.StartsWith('!'))
            {
                throw new NotSupportedException($".dockerignore: exceptions such as \"{line}\" are not understood by this check.");
            }

            var pattern = line.Trim('/');
            var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*", "\u0001", StringComparison.Ordinal)
                .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                .Replace(@"\?", "[^/]", StringComparison.Ordinal)
                .Replace("\u0001", ".*", StringComparison.Ordinal) + "$";
            patterns.Add((line, new Regex(regex, RegexOptions.CultureInvariant)));
        }

        return new DockerIgnore(patterns);
    }

    /// <summary>The pattern that keeps <paramref name="path"/> (relative to the root, <c>/</c>-separated) out of the context, or null.</summary>
    public string? ExcludedBy(string path)
    {
        var segments = path.Trim('/').Split('/');
        for (var length = 1; length <= segments.Length; length++)
        {
            var prefix = string.Join('/', segments[..length]);
            foreach (var (pattern, match) in _patterns)
            {
                if (match.IsMatch(prefix))
                {
                    return pattern;
                }
            }
        }

        return null;
    }
}
