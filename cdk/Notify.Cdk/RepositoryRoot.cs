namespace Notify.Cdk;

/// <summary>The Notify checkout the app runs from: the nearest directory upwards holding Notify.sln.</summary>
public static class RepositoryRoot
{
    /// <exception cref="InvalidOperationException">No directory above <paramref name="start"/> holds Notify.sln.</exception>
    public static string Find(string? start = null)
    {
        for (var directory = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Notify.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Notify.sln above {start ?? Directory.GetCurrentDirectory()}: run the app from the repository's cdk/ folder.");
    }
}
