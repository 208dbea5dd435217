using System.Security.Cryptography;
using System.Text;

namespace Notify.Frontend.Sms;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>): Base64 of HMAC-SHA1, keyed with the auth
/// token, over the full URL Twilio called followed by every POST field, sorted by name, as name then
/// value. It proves the inbound webhook came from Twilio and was not altered.
/// </summary>
internal static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        // SHA-1 is Twilio's choice, not ours: the signature scheme is fixed by Twilio.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>Compares in fixed time: a timing difference must not reveal how much of a guess was right.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields, string? presented) =>
        !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(authToken, url, fields)), Encoding.ASCII.GetBytes(presented));
}
