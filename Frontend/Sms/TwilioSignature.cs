using Twilio.Security;

namespace Notify.Frontend.Sms;

/// <summary>
/// Checks Twilio's request signature (<c>X-Twilio-Signature</c>) with the SDK's <see cref="RequestValidator"/>:
/// Base64 of HMAC-SHA1, keyed with the auth token, over the full URL Twilio called followed by every POST
/// field, sorted by name, as name then value (the SDK also accepts the URL with or without its default
/// port, as Twilio signs either). It proves the inbound webhook came from Twilio and was not altered.
/// </summary>
internal static class TwilioSignature
{
    public static bool IsValid(string authToken, string url, IFormCollection form, string? presented)
    {
        // The validator throws on an empty signature; a request without one is simply not Twilio's.
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        // A name sent twice is signed as its values joined by commas, as the SDK does for a NameValueCollection.
        var fields = form.ToDictionary(field => field.Key, field => field.Value.ToString(), StringComparer.Ordinal);
        return new RequestValidator(authToken).Validate(url, fields, presented);
    }
}
