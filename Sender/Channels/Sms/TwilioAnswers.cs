using Notify.Sender.Channels.Providers;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Twilio's answers to "create a message" in the terms of Notify's retry policy, as Twilio documents
/// them: 2xx accepted; 429 and 5xx transient (its <c>Retry-After</c> honoured); a 400 with an error code
/// is the recipient refused for good (21211 not a valid number; 21610 the number replied STOP); 401,
/// 403 and 404 (and a redirect, which creates nothing) are this server's settings, given up without
/// blaming the subscription; anything else is given up as it is.
/// </summary>
internal static class TwilioAnswers
{
    /// <summary>Twilio's "Attempt to send to unsubscribed recipient": the number replied STOP to Twilio.</summary>
    public const int UnsubscribedRecipient = 21610;

    /// <summary>The settings an answer of <see cref="IsSettingsProblem"/> is about.</summary>
    public const string Settings = "Notify:Sms:Twilio:AccountSid, Notify:Sms:Twilio:AuthToken and Notify:Sms:Twilio:BaseUrl";

    /// <param name="status">The HTTP status.</param>
    /// <param name="code">Twilio's error code; 0 when the answer had none.</param>
    /// <param name="message">Twilio's error message (it may name the number, never the body): kept for the subscription's owner.</param>
    /// <param name="retryAfter">The wait the answer asked for.</param>
    public static ProviderAttempt Classify(int status, int code, string? message, TimeSpan? retryAfter)
    {
        var described = code != 0 ? $"twilio:{code} HTTP {status}" : $"HTTP {status}";
        if (status is >= 200 and < 300)
        {
            // Twilio created the message even if its answer could not be read: sending again would duplicate it.
            return ProviderAttempt.Accepted(described);
        }

        if (status == 429 || status >= 500)
        {
            return ProviderAttempt.Transient(described, retryAfter);
        }

        if (status == 400 && code != 0)
        {
            var detail = string.IsNullOrWhiteSpace(message) ? $"Twilio refused the message (error {code})." : message;
            return ProviderAttempt.Permanent(described, new DeliveryRefusal($"twilio:{code}", detail, code == UnsubscribedRecipient));
        }

        return ProviderAttempt.Permanent(described, refusal: null);
    }

    /// <summary>401, 403, 404 or a redirect: Twilio refused this server's account, or BaseUrl is not Twilio's API.</summary>
    public static bool IsSettingsProblem(int status) => status is (>= 300 and < 400) or 401 or 403 or 404;
}
