using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Sms;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Twilio's Messages API, the one call Notify needs (the Twilio package does not restore here):
/// <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c> with form fields <c>To</c>,
/// <c>From</c> or <c>MessagingServiceSid</c>, and <c>Body</c>, HTTP basic auth AccountSid:AuthToken.
/// Answers are classified as Twilio documents them: 201 accepted; 429 and 5xx (and lost connections)
/// transient; a 400 with an error code is the recipient refused for good; 401/403/404 are this
/// server's configuration, given up without blaming the subscription.
/// </summary>
internal sealed class TwilioClient(HttpClient http, IOptions<SmsOptions> options)
{
    /// <summary>Twilio's "Attempt to send to unsubscribed recipient": the number replied STOP to Twilio.</summary>
    public const int UnsubscribedRecipient = 21610;

    public async Task<ProviderAttempt> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        var twilio = options.Value.Twilio;
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(twilio))
        {
            Content = new FormUrlEncodedContent(Form(twilio, to, body)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderAttempt.Transient($"connection failed ({ex.HttpRequestError})");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return ProviderAttempt.Accepted("HTTP 201");
            }

            var error = await ReadErrorAsync(response, cancellationToken);
            var described = error.Code is { } code ? $"twilio:{code} HTTP {status}" : $"HTTP {status}";
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                return ProviderAttempt.Transient(described, RetryAfter(response));
            }

            if (response.StatusCode == HttpStatusCode.BadRequest && error.Code is { } refused)
            {
                return ProviderAttempt.Permanent(described, new DeliveryRefusal(
                    $"twilio:{refused}", error.Message ?? $"Twilio refused the message (error {refused}).", refused == UnsubscribedRecipient));
            }

            return ProviderAttempt.Permanent(described, refusal: null);
        }
    }

    private static Uri MessagesUrl(TwilioOptions twilio) =>
        new(twilio.BaseUrl, $"2010-04-01/Accounts/{Uri.EscapeDataString(twilio.AccountSid!)}/Messages.json");

    private static List<KeyValuePair<string, string>> Form(TwilioOptions twilio, string to, string body)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to) };
        form.Add(string.IsNullOrWhiteSpace(twilio.MessagingServiceSid)
            ? new("From", twilio.From!)
            : new("MessagingServiceSid", twilio.MessagingServiceSid));
        form.Add(new("Body", body));
        return form;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    /// <summary>Twilio's error body: <c>{"code": 21211, "message": "...", "more_info": "...", "status": 400}</c>.</summary>
    private static async Task<(int? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = json.RootElement;
            int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (code, message);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page, or an empty body: the status alone decides.
            return (null, null);
        }
    }
}
