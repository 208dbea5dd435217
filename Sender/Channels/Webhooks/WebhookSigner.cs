using System.Security.Cryptography;
using System.Text;
using Notify.Shared.Webhooks;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// The <c>webhook-signature</c> of the Standard Webhooks specification: for each key,
/// <c>v1,</c> + base64(HMAC-SHA256(key, <c>id.timestamp.body</c>)), the entries separated by spaces.
/// Hand-written on System.Security.Cryptography because no .NET Standard Webhooks package can be restored
/// here; the spec's own test vector and the npm <c>standardwebhooks</c> verifier check it in the tests.
/// </summary>
internal static class WebhookSigner
{
    /// <summary>The signature header's value over the exact <paramref name="body"/> sent, one entry per key in order.</summary>
    public static string Sign(string webhookId, long timestamp, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> keys)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));

        var header = new StringBuilder();
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var key in keys)
        {
            HMACSHA256.HashData(key, content, mac);
            header.Append(header.Length == 0 ? "v1," : " v1,").Append(Convert.ToBase64String(mac));
        }

        return header.ToString();
    }

    /// <summary>The keys of <paramref name="secrets"/> (<c>whsec_…</c>); a secret that does not decode is skipped.</summary>
    public static IReadOnlyList<byte[]> Keys(IEnumerable<string> secrets) =>
        secrets.Select(s => WebhookSecret.TryDecode(s, out var key) ? key : null).OfType<byte[]>().ToList();
}
