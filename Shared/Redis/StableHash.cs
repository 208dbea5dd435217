using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Notify.Shared.Redis;

/// <summary>
/// The ring's hash: the first 8 bytes (big-endian) of SHA-256 over the UTF-8 text. Every process, on every
/// machine and .NET version, must place keys and nodes at the same points, which rules out
/// <see cref="string.GetHashCode()"/> (randomised per process). SHA-256 is in the framework on every
/// platform and spreads similar inputs ("node#1", "node#2") evenly; its cost is small beside a network hop.
/// </summary>
internal static class StableHash
{
    private const int StackLimit = 256;

    public static ulong Of(string text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..length], digest);
            return BinaryPrimitives.ReadUInt64BigEndian(digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
