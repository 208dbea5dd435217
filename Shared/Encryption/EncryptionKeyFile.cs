using Notify.Shared.Storage;

namespace Notify.Shared.Encryption;

/// <summary>
/// The key Notify generates when <c>Notify:Encryption:Key</c> is not set: <c>encryption.key</c> in the
/// data directory, base64, mode 0600. A Frontend and a standalone Sender on one directory share it; when
/// both start at once, the first to link its new file in place wins and the other reads that file.
/// </summary>
public static class EncryptionKeyFile
{
    public const string FileName = "encryption.key";

    /// <summary>The directory's key, or null when it has none.</summary>
    /// <exception cref="InvalidOperationException">The file is there but does not hold a key.</exception>
    public static EncryptionKey? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path);
        try
        {
            return EncryptionKey.Parse(text);
        }
        catch (FormatException problem)
        {
            throw new InvalidOperationException(
                $"{path} does not hold an encryption key ({problem.Message}). Restore it from a backup, or set the key in Notify:Encryption:Key.");
        }
    }

    /// <returns>The directory's key, and whether this call generated it.</returns>
    public static (EncryptionKey Key, bool Generated) ReadOrCreate(string directory)
    {
        if (Read(directory) is { } existing)
        {
            return (existing, false);
        }

        var key = EncryptionKey.Generate();

        // Two processes starting at the same moment both end with the key that was written first, and
        // neither ever reads a half-written file.
        return FirstWriterWins.TryCreate(Path.Combine(directory, FileName), key.ToBase64() + "\n")
            ? (key, true)
            : (Read(directory)!, false);
    }
}
