using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Notify.Frontend.Keys;

/// <summary>
/// Keys as callers hold them (<c>nfy_</c> and 32 random bytes in base64url) and as stores keep them: the
/// SHA-256 in lower-case hex. A key has 256 bits of entropy, so a fast unsalted hash is enough: there is no
/// dictionary to try, and the lookup of every request stays one hash.
/// </summary>
internal static class KeySecrets
{
    public const string Prefix = "nfy_";

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(ReadOnlySpan<char> key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key.ToArray()), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Whether a stored hash is the one of the presented key, compared in constant time.</summary>
    public static bool SameHash(string stored, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(presented));

    /// <summary><c>key_</c> and a sortable id, so the listing's id order is creation order.</summary>
    public static string NewId(TimeProvider clock) => "key_" + Notify.Shared.Ids.SortableId.New(clock);
}
