using System.Globalization;

namespace Notify.Bench;

/// <summary>What every benchmark program reads from its command line, and where the repository is.</summary>
internal static class CommandLine
{
    /// <summary>The checkout the program runs from: the first folder above it holding Notify.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Notify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Notify.sln not found above " + AppContext.BaseDirectory + "; pass --frontend PATH.");
    }

    /// <summary>The value after <paramref name="name"/>, or null when the option is not given.</summary>
    public static string? String(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static double Double(string[] args, string name, double fallback) =>
        String(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
