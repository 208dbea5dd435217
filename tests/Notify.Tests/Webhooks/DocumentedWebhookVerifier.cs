// The C# verifier shown in docs/webhooks.md, kept here so that the tests run it: the text between the
// two markers is the documentation's code block, character for character (DocumentedVerifierTests).
// <documented-verifier>
using System.Security.Cryptography;
using System.Text;

namespace Receiver;

public static class WebhookVerifier
{
    private static readonly long ToleranceSeconds = 5 * 60;

    /// <summary>
    /// True when one of the request's v1 signatures was made with <paramref name="secret"/> over these
    /// exact body bytes, and its timestamp is within five minutes of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, byte[] body, string? id, string? timestamp, string? signatures, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !long.TryParse(timestamp, out var sentAt)
            || sentAt < now.ToUnixTimeSeconds() - ToleranceSeconds || sentAt > now.ToUnixTimeSeconds() + ToleranceSeconds)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // During a secret rotation there is one v1 entry per secret: any one that matches will do.
            var parts = entry.Split(',', 2);
            if (parts is ["v1", var signature] && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), expected))
            {
                return true;
            }
        }

        return false;
    }
}
// </documented-verifier>
