using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Notify.Shared.Encryption;

/// <summary>
/// Encrypts message content before it is written to an embedded store file, with AES-256-GCM under the
/// current key, and reads it back under whichever key wrote it. A sealed value is one byte array:
/// <c>format (1) | key id (4) | nonce (12) | tag (16) | ciphertext</c>. Each value is bound to where it
/// lives by the associated data (<c>context</c>, e.g. the message id), so a row copied over another fails
/// to open instead of being delivered as the other's content.
/// </summary>
/// <remarks>
/// Stores keep sealed values as SQLite BLOBs and the plaintext written before encryption at rest as TEXT;
/// SQLite keeps each value's storage class, so the type of the value read is what tells the two apart.
/// </remarks>
public sealed class PayloadCipher
{
    private const byte Format = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize + TagSize;

    /// <summary>Longest context encoded on the stack; contexts are short names ("queue message" and an id).</summary>
    private const int StackContextBytes = 256;

    private readonly EncryptionKey _current;
    private readonly Dictionary<uint, EncryptionKey> _keys = [];

    /// <summary>
    /// An <see cref="AesGcm"/> per key and thread: creating one per call sets up a native cipher context
    /// each time (a measurable part of a publish), and one instance must not be used by two threads at once.
    /// </summary>
    private readonly Dictionary<uint, ThreadLocal<AesGcm>> _ciphers = [];

    /// <param name="current">Encrypts every new value, and reads what it encrypted.</param>
    /// <param name="previous">Only read: values written under them before a rotation.</param>
    public PayloadCipher(EncryptionKey current, IEnumerable<EncryptionKey> previous)
    {
        _current = current;
        _keys[current.Id] = current;
        foreach (var key in previous)
        {
            _keys.TryAdd(key.Id, key);
        }

        foreach (var key in _keys.Values)
        {
            _ciphers[key.Id] = new ThreadLocal<AesGcm>(() => new AesGcm(key.Bytes, TagSize));
        }
    }

    /// <summary>The id of the key new values are encrypted under.</summary>
    public string CurrentKeyName => _current.Name;

    /// <summary>Encrypts <paramref name="plaintext"/> under the current key, bound to <paramref name="context"/>.</summary>
    public byte[] Seal(string plaintext, string context)
    {
        var length = Encoding.UTF8.GetByteCount(plaintext);
        var sealedValue = new byte[HeaderSize + length];
        var span = sealedValue.AsSpan();
        span[0] = Format;
        BinaryPrimitives.WriteUInt32BigEndian(span.Slice(1, KeyIdSize), _current.Id);
        var nonce = span.Slice(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = span.Slice(1 + KeyIdSize + NonceSize, TagSize);
        var ciphertext = span[HeaderSize..];

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(plaintext, rented);
            var associated = Encoding.UTF8.GetMaxByteCount(context.Length) <= StackContextBytes
                ? stackalloc byte[StackContextBytes]
                : new byte[Encoding.UTF8.GetByteCount(context)];
            associated = associated[..Encoding.UTF8.GetBytes(context, associated)];
            _ciphers[_current.Id].Value!.Encrypt(nonce, rented.AsSpan(0, written), ciphertext, tag, associated);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(rented);
        }

        return sealedValue;
    }

    /// <summary>
    /// The plaintext of a stored value: a BLOB is opened under the key its id names; a string is
    /// plaintext written before encryption at rest and returned as it is.
    /// </summary>
    /// <param name="stored">The column's value as the SQLite reader gives it (<c>byte[]</c> or <c>string</c>).</param>
    /// <param name="context">The same context the value was sealed with; it names the value in errors.</param>
    /// <exception cref="UnknownEncryptionKeyException">No configured key has the value's key id.</exception>
    /// <exception cref="CryptographicException">The value was altered, or is bound to another context.</exception>
    public string Open(object stored, string context)
    {
        if (stored is string plaintext)
        {
            return plaintext;
        }

        if (stored is not byte[] sealedValue || sealedValue.Length < HeaderSize || sealedValue[0] != Format)
        {
            throw new CryptographicException($"The stored {context} is not a value Notify encrypted.");
        }

        var span = sealedValue.AsSpan();
        var keyId = BinaryPrimitives.ReadUInt32BigEndian(span.Slice(1, KeyIdSize));
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new UnknownEncryptionKeyException(UnknownKey(context, keyId));
        }

        var ciphertext = span[HeaderSize..];
        var plain = ArrayPool<byte>.Shared.Rent(ciphertext.Length);
        try
        {
            _ciphers[keyId].Value!.Decrypt(
                span.Slice(1 + KeyIdSize, NonceSize),
                ciphertext,
                span.Slice(1 + KeyIdSize + NonceSize, TagSize),
                plain.AsSpan(0, ciphertext.Length),
                Encoding.UTF8.GetBytes(context));
            return Encoding.UTF8.GetString(plain, 0, ciphertext.Length);
        }
        catch (AuthenticationTagMismatchException mismatch)
        {
            throw new CryptographicException(
                $"The stored {context} failed authentication under key {key.Name}: it was altered, or moved from another row.", mismatch);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain.AsSpan(0, ciphertext.Length));
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private string UnknownKey(string context, uint keyId)
    {
        var previous = _keys.Values.Where(k => k != _current).Select(k => k.Name).ToList();
        return $"The stored {context} was encrypted under key {EncryptionKey.FormatId(keyId)}, which is neither " +
               $"Notify:Encryption:Key (key {_current.Name}) nor one of Notify:Encryption:PreviousKeys " +
               $"({(previous.Count == 0 ? "none set" : string.Join(", ", previous))}). Add the key it was written with " +
               "to Notify:Encryption:PreviousKeys and restart; nothing is lost meanwhile.";
    }
}
