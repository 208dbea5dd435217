using System.ComponentModel.DataAnnotations;
using Notify.Shared.Configuration;

namespace Notify.Shared.Sms;

/// <summary>
/// How SMS is sent (section <c>Notify:Sms</c>): through Twilio's Messages API. Without Twilio's account
/// settings SMS is off, and subscribing by SMS is refused with the settings to set.
/// </summary>
public sealed class SmsOptions : ProviderChannelOptions, IValidatableObject
{
    public const string SectionName = "Notify:Sms";

    /// <summary>The SMS paces itself lower than email: a Twilio long code sends about one message per second.</summary>
    public SmsOptions() => MaxPerSecond = 1;

    /// <summary>Twilio's account and sender settings (<c>Notify:Sms:Twilio</c>).</summary>
    public TwilioOptions Twilio { get; set; } = new();

    /// <summary>True when SMS can be sent: Twilio's account, token and a sender are set.</summary>
    public bool IsEnabled => WhyDisabled is null;

    /// <summary>Why subscribing by SMS is refused right now, naming the settings to set; null when SMS is enabled.</summary>
    public string? WhyDisabled
    {
        get
        {
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(Twilio.AccountSid))
            {
                missing.Add("Notify:Sms:Twilio:AccountSid");
            }

            if (string.IsNullOrWhiteSpace(Twilio.AuthToken))
            {
                missing.Add("Notify:Sms:Twilio:AuthToken");
            }

            if (string.IsNullOrWhiteSpace(Twilio.From) && string.IsNullOrWhiteSpace(Twilio.MessagingServiceSid))
            {
                missing.Add("Notify:Sms:Twilio:From (or Notify:Sms:Twilio:MessagingServiceSid)");
            }

            return missing.Count == 0
                ? null
                : $"SMS delivery is not configured on this server: set {string.Join(", ", missing)}.";
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Twilio.BaseUrl.IsAbsoluteUri || (Twilio.BaseUrl.Scheme != Uri.UriSchemeHttps && Twilio.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Notify:Sms:Twilio:BaseUrl must be an absolute http(s) URL, such as https://api.twilio.com.");
        }
    }
}

/// <summary>Twilio's account settings (section <c>Notify:Sms:Twilio</c>).</summary>
public sealed class TwilioOptions
{
    /// <summary>The account SID (AC...), the user name of Twilio's basic authentication.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The auth token: the password of the API calls, and the key of the inbound webhooks' signatures.</summary>
    public string? AuthToken { get; set; }

    /// <summary>The sending number in E.164 (+15551234567), unless <see cref="MessagingServiceSid"/> is set.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (MG...) that picks the sender; wins over <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>Twilio's API address; tests point it at a local server that speaks the same API.</summary>
    /// <value>The default is https://api.twilio.com.</value>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");
}
