namespace Notify.IntegrationTests.Support;

internal static class RepositoryPaths
{
    /// <summary>The folder holding Notify.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build output of a project, in the same configuration as these tests.</summary>
    public static string Output(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";
        return Path.Combine(Root, project, "bin", configuration, "net10.0");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Notify.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Notify.sln not found above " + AppContext.BaseDirectory);
    }
}
