using System.Security.Cryptography;
using System.Text;

namespace Notify.TestServers;

/// <summary>
/// The <c>X-Twilio-Signature</c> header Twilio sends with its webhooks (inbound messages, status
/// callbacks), so tests can post requests to Notify as Twilio would sign them. Written apart from
/// Notify's own check (Frontend/Sms/TwilioSignature) on purpose: a test signing with the code under test
/// would pass with a wrong algorithm on both sides.
/// </summary>
public static class TwilioSignature
{
    /// <summary>
    /// Twilio's documented algorithm: the full URL Twilio requested (scheme, host, path and query,
    /// exactly as configured), then each POST field's name and value appended with no delimiters, in
    /// order of name (ordinal); HMAC-SHA1 of that, keyed with the account's auth token, in Base64.
    /// </summary>
    /// <param name="authToken">The account's auth token.</param>
    /// <param name="url">The URL as Twilio requested it, query included.</param>
    /// <param name="formFields">The POST form fields (none for a GET). A name repeated is sorted by value, as Twilio's own libraries do.</param>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formFields)
    {
        var data = new StringBuilder(url);
        foreach (var field in formFields.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal))
        {
            data.Append(field.Key).Append(field.Value);
        }

        // SHA-1 because Twilio's signature is defined with it; nothing here protects anything.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
