using Microsoft.Extensions.Options;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Resilience;
using Notify.Shared.Sms;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Notify.Sender.Channels.Sms;

/// <summary>
/// Sends one SMS with Twilio's SDK (<c>MessageResource.CreateAsync</c>: form fields <c>To</c>,
/// <c>From</c> or <c>MessagingServiceSid</c>, and <c>Body</c>) and tells the retry policy how it ended
/// (<see cref="TwilioAnswers"/>). The SDK's client is built from <c>Notify:Sms:Twilio</c> and passed to
/// each call, never the SDK's static <c>TwilioClient.Init</c>; its HTTP goes through this typed client's
/// handlers, which point it at <c>BaseUrl</c> and carry each call's cancellation.
/// </summary>
internal sealed partial class TwilioMessageSender
{
    private readonly TwilioOptions _twilio;
    private readonly TwilioRestClient _rest;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public TwilioMessageSender(System.Net.Http.HttpClient http, IOptions<SmsOptions> options, TimeProvider clock, ILogger<TwilioMessageSender> logger)
    {
        _twilio = options.Value.Twilio;
        _rest = new TwilioRestClient(_twilio.AccountSid, _twilio.AuthToken, httpClient: new SystemNetHttpClient(http));
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="to"/>; throws only when cancelled.</summary>
    public async Task<ProviderAttempt> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        using var call = TwilioCall.Begin(cancellationToken);
        try
        {
            // The SDK takes any answer below 400 as success; a redirect (a wrong BaseUrl) created nothing.
            await MessageResource.CreateAsync(Message(to, body), client: _rest);
            return Answered(call.Status ?? 201, 0, null, call);
        }
        catch (ApiConnectionException ex) when (cancellationToken.IsCancellationRequested)
        {
            // The SDK wraps the cancelled request as a connection error; the retry policy needs the cancellation.
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (ApiConnectionException ex)
        {
            return ProviderAttempt.Transient(ex.InnerException is HttpRequestException http ? $"connection failed ({http.HttpRequestError})" : "connection failed");
        }
        catch (ApiException ex)
        {
            return Answered(ex.Status, ex.Code, ex.Message, call);
        }
        catch (ApiStandardException ex)
        {
            return Answered(ex.Status, ex.Code, ex.Detail ?? ex.Title, call);
        }
    }

    private CreateMessageOptions Message(string to, string body)
    {
        var message = new CreateMessageOptions(new PhoneNumber(to)) { Body = body };
        if (string.IsNullOrWhiteSpace(_twilio.MessagingServiceSid))
        {
            message.From = new PhoneNumber(_twilio.From);
        }
        else
        {
            message.MessagingServiceSid = _twilio.MessagingServiceSid;
        }

        return message;
    }

    private ProviderAttempt Answered(int status, int code, string? message, TwilioCall call)
    {
        // A body that is not Twilio's JSON (a proxy's error page) leaves the SDK's status 0; the handler saw the real one.
        var seen = status != 0 ? status : call.Status ?? 0;
        var attempt = TwilioAnswers.Classify(seen, code, message, RetryAfterHeader.Delay(call.RetryAfter, _clock));
        if (TwilioAnswers.IsSettingsProblem(seen))
        {
            Log.SettingsRefused(_logger, attempt.Status, TwilioAnswers.Settings);
        }

        return attempt;
    }

    private static partial class Log
    {
        [LoggerMessage(440, LogLevel.Error,
            "Twilio refused this server's account or address ({Status}): no SMS can be sent until {Settings} are right",
            EventName = "TwilioSettingsRefused")]
        public static partial void SettingsRefused(ILogger logger, string status, string settings);
    }
}
