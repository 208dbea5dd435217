namespace Notify.Shared.Configuration;

/// <summary>
/// Where a relative path in Notify's settings (<c>Notify:DataDirectory</c>, <c>Notify:Email:PickupDirectory</c>)
/// points. Inside a Notify checkout (the content root, or a folder above it, holds <see cref="CheckoutMarker"/>)
/// the base is the checkout's root: <c>dotnet run --project Frontend</c> and <c>dotnet run --project Sender</c>
/// each run in their own project folder, and must still find one store. Anywhere else (a published app)
/// the base is the content root.
/// </summary>
public static class RelativePaths
{
    /// <summary>The file that marks the root of a Notify checkout.</summary>
    public const string CheckoutMarker = "Notify.sln";

    /// <summary>The folder relative paths are resolved against, for a process whose content root is <paramref name="contentRoot"/>.</summary>
    public static string BaseFor(string contentRoot)
    {
        var root = Path.GetFullPath(contentRoot);
        for (var folder = new DirectoryInfo(root); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, CheckoutMarker)))
            {
                return folder.FullName;
            }
        }

        return root;
    }

    /// <summary><paramref name="path"/> as an absolute path: unchanged when it is one, else under <see cref="BaseFor"/>.</summary>
    public static string Resolve(string path, string contentRoot) =>
        Path.IsPathFullyQualified(path) ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(BaseFor(contentRoot), path));
}
