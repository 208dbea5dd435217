using System.Xml.Linq;

namespace Notify.IntegrationTests.Support.Docker;

/// <summary>What a Dockerfile must agree with in a project file: its assembly, its framework, the projects it references.</summary>
public sealed class ProjectFile
{
    private readonly XDocument _xml;

    private ProjectFile(string path)
    {
        Path = path;
        _xml = XDocument.Load(System.IO.Path.Combine(RepositoryPaths.Root, path));
    }

    /// <summary>The project file's path from the repository root, <c>/</c>-separated (<c>Frontend/Notify.Frontend.csproj</c>).</summary>
    public string Path { get; }

    /// <summary>The one project file in <paramref name="folder"/>.</summary>
    public static ProjectFile In(string folder) =>
        new(folder + "/" + System.IO.Path.GetFileName(Assert.Single(Directory.GetFiles(System.IO.Path.Combine(RepositoryPaths.Root, folder), "*.csproj"))));

    /// <summary>The assembly's name: <c>AssemblyName</c> when the project sets it, else the file's name (MSBuild's default).</summary>
    public string AssemblyName => Property("AssemblyName") ?? System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The target framework (<c>net10.0</c>): the project's own, else the one Directory.Build.props gives every project.</summary>
    public string TargetFramework =>
        Property("TargetFramework")
        ?? Property(XDocument.Load(System.IO.Path.Combine(RepositoryPaths.Root, "Directory.Build.props")), "TargetFramework")
        ?? throw new InvalidOperationException($"No TargetFramework for {Path}.");

    /// <summary>This project and every project it references, directly or not, as paths from the repository root.</summary>
    public IReadOnlySet<string> WithReferences()
    {
        var all = new HashSet<string>(StringComparer.Ordinal) { Path };
        foreach (var reference in _xml.Descendants("ProjectReference").Select(r => (string)r.Attribute("Include")!))
        {
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryPaths.Root, System.IO.Path.GetDirectoryName(Path)!, reference));
            all.UnionWith(new ProjectFile(System.IO.Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/')).WithReferences());
        }

        return all;
    }

    private string? Property(string name) => Property(_xml, name);

    private static string? Property(XDocument xml, string name) =>
        xml.Descendants("PropertyGroup").Elements(name).Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0);
}
