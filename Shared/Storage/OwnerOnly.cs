namespace Notify.Shared.Storage;

/// <summary>
/// File modes for the data directory: the folder 0700, every file Notify creates in it 0600, so other
/// users of the machine can read neither message content nor keys. No-ops on Windows, whose ACLs
/// inherit from the folder.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) owner-only; an existing folder keeps its mode.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>True when users other than the owner may enter or list <paramref name="directory"/>.</summary>
    public static bool IsOpenToOthers(string directory) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(directory) & GroupAndOthers) != 0;

    /// <summary>Options that create a new file 0600 (<c>CreateNew</c>: an existing file is an <see cref="IOException"/>).</summary>
    public static FileStreamOptions CreateNew()
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Makes an SQLite database file owner-only before SQLite opens it: an empty file is a valid empty
    /// database, and SQLite gives its -wal, -shm and journal files the database file's mode. Files an
    /// earlier version left readable by others are tightened, with their -wal and -shm. Failures are
    /// left for SQLite to report when it opens the file.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using (new FileStream(path, CreateNew()))
            {
            }

            return;
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists: tightened below.
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & GroupAndOthers) != 0)
                {
                    File.SetUnixFileMode(file, FileMode);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another user's file: SQLite reports what it cannot open.
            }
        }
    }
}
