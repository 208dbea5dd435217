namespace Notify.TestServers;

/// <summary>Finds <c>tests/servers</c>, where <c>npm ci</c> installs the Node-based servers.</summary>
internal static class ServersFolder
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "servers", "package.json");
            if (File.Exists(candidate))
            {
                return System.IO.Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException("tests/servers/package.json not found above " + AppContext.BaseDirectory);
    }
}
