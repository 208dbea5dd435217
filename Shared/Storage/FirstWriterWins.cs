using System.Runtime.InteropServices;

namespace Notify.Shared.Storage;

/// <summary>
/// Creates a small file (a generated key) whole and at most once, among processes that may start at the
/// same moment on one data directory: the content is written and fsync'd under a name of its own, then
/// published under the real name only if that name does not exist yet. Whoever loses reads the winner's.
/// </summary>
/// <remarks>
/// Hand-written because .NET has no way to publish a file without replacing one that appeared meanwhile:
/// <see cref="File.Move(string, string, bool)"/> with <c>overwrite: false</c> checks and then renames on
/// Linux, so two processes starting together could both "create" the key, the second replacing the first
/// while the first keeps using its own (a test caught it: 8 threads ended with 2 keys). link(2) fails with
/// EEXIST when the name exists, in one step; Windows' MoveFileEx without REPLACE_EXISTING does the same.
/// </remarks>
public static class FirstWriterWins
{
    private const int AlreadyExists = 17; // EEXIST on Linux and macOS

    /// <returns>True when this call created <paramref name="path"/> with <paramref name="content"/>; false
    /// when the file existed already (then the caller reads it: it is whole).</returns>
    public static bool TryCreate(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, OwnerOnly.CreateNew()))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(content);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            return Publish(temporary, path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool Publish(string temporary, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(temporary, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        if (Link(temporary, path) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == AlreadyExists
            ? false
            : throw new IOException($"Could not create {path}: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");
    }

    // DllImport rather than LibraryImport, whose generated marshalling needs unsafe code in the project.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existingPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
