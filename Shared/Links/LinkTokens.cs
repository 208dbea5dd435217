using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Shared.Links;

/// <summary>
/// The tokens of a subscription's confirm and unsubscribe links, derived rather than stored:
/// base64url(HMAC-SHA256(key, purpose + ":" + subscription id)). The Sender derives them to put the links
/// into every delivery and the Frontend to verify them, so the metadata store holds no usable token.
/// Tokens issued at random before they were derived survive only as the SHA-256 <see cref="Hash"/> kept
/// with their subscription, and are accepted through it.
/// </summary>
public sealed class LinkTokens
{
    private readonly LinkTokenKey _key;

    public LinkTokens(IOptions<LinkOptions> links, IOptions<NotifyOptions> notify) => _key = new LinkTokenKey(links, notify);

    /// <summary>The token of <paramref name="purpose"/>'s link of the subscription <paramref name="subscriptionId"/>.</summary>
    public string Derive(LinkPurpose purpose, string subscriptionId) =>
        System.Buffers.Text.Base64Url.EncodeToString(Mac(purpose, subscriptionId));

    /// <summary>
    /// True when <paramref name="presented"/> is the derived token, or hashes to <paramref name="storedHash"/>
    /// (a token issued before tokens were derived). Both are computed whatever the answer, in constant time,
    /// so the time taken says nothing of whether the subscription exists or has a stored hash.
    /// </summary>
    public bool Accepts(LinkPurpose purpose, string subscriptionId, string presented, string? storedHash)
    {
        var expected = Mac(purpose, subscriptionId);
        var given = new byte[expected.Length];
        var derived = System.Buffers.Text.Base64Url.DecodeFromChars(presented, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == expected.Length;
        derived &= CryptographicOperations.FixedTimeEquals(expected, given);

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var stored = new byte[hash.Length];
        var hasStored = storedHash is { Length: 2 * SHA256.HashSizeInBytes } && Convert.FromHexString(storedHash, stored, out _, out _) == System.Buffers.OperationStatus.Done;
        var legacy = CryptographicOperations.FixedTimeEquals(hash, stored) && hasStored;
        return derived | legacy;
    }

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its UTF-8 text.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private byte[] Mac(LinkPurpose purpose, string subscriptionId) =>
        HMACSHA256.HashData(_key.Bytes, Encoding.UTF8.GetBytes(Name(purpose) + ":" + subscriptionId));

    private static string Name(LinkPurpose purpose) => purpose switch
    {
        LinkPurpose.Confirm => "confirm",
        LinkPurpose.Unsubscribe => "unsubscribe",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
    };
}
