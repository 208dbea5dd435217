using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Notify.Shared.Encryption;

/// <summary>
/// One 256-bit AES key and its id: the first four bytes of the key's SHA-256, stored in front of every
/// value it encrypts so a read picks the right key. The id is safe to log; the key never is.
/// </summary>
public sealed class EncryptionKey
{
    public const int Size = 32;

    private EncryptionKey(byte[] bytes)
    {
        Bytes = bytes;
        Id = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(bytes));
    }

    internal byte[] Bytes { get; }

    public uint Id { get; }

    /// <summary>The id as operators see it in logs and errors.</summary>
    public string Name => FormatId(Id);

    public static string FormatId(uint id) => id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new random key.</summary>
    public static EncryptionKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <exception cref="FormatException">The text is not the base64 of 32 bytes; the message says which (never the text).</exception>
    public static EncryptionKey Parse(string base64) =>
        Problem(base64) is { } problem ? throw new FormatException($"The key {problem}") : new(Convert.FromBase64String(base64.Trim()));

    public string ToBase64() => Convert.ToBase64String(Bytes);

    /// <returns>What is wrong with <paramref name="base64"/> as a key, worded to follow its name; null when it is good.</returns>
    internal static string? Problem(string base64)
    {
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var length))
        {
            return "is not valid base64: give the base64 of 32 random bytes (openssl rand -base64 32).";
        }

        return length == Size
            ? null
            : $"decodes to {length} bytes; it must be the base64 of exactly {Size} random bytes (openssl rand -base64 32).";
    }
}
