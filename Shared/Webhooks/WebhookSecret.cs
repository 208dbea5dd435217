using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Notify.Shared.Webhooks;

/// <summary>
/// A webhook subscription's signing secret in the Standard Webhooks form: <c>whsec_</c> and the base64 of
/// 32 random bytes. The key that signs is the decoded bytes, not the text, as every Standard Webhooks
/// library reads it.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>Bytes of a new secret's key: 256 bits, the HMAC-SHA256 block's worth of entropy.</summary>
    public const int KeyBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The key of <paramref name="secret"/>; false when it is not <c>whsec_</c> and non-empty base64.</summary>
    public static bool TryDecode(string secret, [NotNullWhen(true)] out byte[]? key)
    {
        key = null;
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = secret.AsSpan(Prefix.Length);
        var buffer = new byte[encoded.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written == 0)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}
