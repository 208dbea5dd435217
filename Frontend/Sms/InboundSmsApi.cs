using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Notify.Frontend.Errors;
using Notify.Frontend.OpenApi;
using Notify.Metadata.Store;
using Notify.Shared.Links;
using Notify.Shared.Logging;
using Notify.Shared.Sms;

namespace Notify.Frontend.Sms;

/// <summary>
/// <c>POST /v1/sms/inbound</c>: Twilio's inbound-message webhook (set it as the number's "A message
/// comes in" URL). Twilio signs it instead of sending an API key, so the signature is the credential:
/// a request without a valid one is refused with 403 and changes nothing. STOP and its kin opt the
/// sender's number out of every SMS subscription; START and UNSTOP opt it back in.
/// </summary>
internal static partial class InboundSmsApi
{
    public const string Path = "v1/sms/inbound";

    public static IEndpointRouteBuilder MapInboundSmsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + Path, ReceiveAsync)
            .WithName("InboundSms")
            .WithTags("SMS")
            .AllowAnonymous()
            .DisableAntiforgery()
            .Accepts<InboundSmsForm>("application/x-www-form-urlencoded")
            .Produces<string>(StatusCodes.Status200OK, "text/xml")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status415UnsupportedMediaType)
            .Documented(
                "Receive an SMS (Twilio webhook)",
                "Twilio's \"A message comes in\" webhook, signed with X-Twilio-Signature instead of an API key. STOP and its kin opt the sender's number out of every SMS subscription; START and UNSTOP opt it back in. " +
                "Answers empty TwiML; 403 when the signature is wrong, 404 when inbound SMS is off (no Twilio auth token configured).");
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        IOptions<SmsOptions> sms,
        PublicLinks links,
        IMetadataStore store,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var authToken = sms.Value.Twilio.AuthToken;
        if (string.IsNullOrEmpty(authToken))
        {
            return Problems.NotFound("Inbound SMS is off on this server: Notify:Sms:Twilio:AuthToken is not set, so Twilio's signature cannot be checked.");
        }

        if (!request.HasFormContentType)
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType,
                "Twilio posts inbound messages as application/x-www-form-urlencoded; send the form fields From and Body.");
        }

        var form = await request.ReadFormAsync(cancellationToken);

        // Twilio signs the URL it was given: the public base (what a proxy in front exposes) + path + query.
        var url = links.Absolute(Path).AbsoluteUri + request.QueryString.Value;
        var logger = loggers.CreateLogger(typeof(InboundSmsApi).FullName!);
        if (!TwilioSignature.IsValid(authToken, url, form, request.Headers["X-Twilio-Signature"]))
        {
            // The query Twilio was given may hold a secret of its own: the log names the public base only.
            Log.BadSignature(logger, Redact.Endpoint(links.Absolute(Path)));
            return Problems.Status(StatusCodes.Status403Forbidden,
                "The X-Twilio-Signature header is missing or does not match this request; only Twilio, signing with this account's auth token, may post here. " +
                "If Twilio's own requests are refused, check that Notify:PublicBaseUrl is the address Twilio calls.");
        }

        var from = form["From"].ToString();
        if (OptOutKeywords.Classify(form["Body"]) is { } optOut && !string.IsNullOrEmpty(from))
        {
            await store.SetSmsOptOutAsync(from, optOut, clock.GetUtcNow(), cancellationToken);
            Log.OptChanged(logger, optOut ? "opted out of" : "opted back into", form["MessageSid"].ToString());
        }

        // An empty TwiML answer: Twilio itself sends the carrier-required reply to STOP and START.
        return Results.Content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>", "text/xml");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused an inbound SMS webhook with a missing or wrong X-Twilio-Signature (it is checked against the URL at {PublicBase})", EventName = "InboundSmsBadSignature")]
        public static partial void BadSignature(ILogger logger, string publicBase);

        // The number and the text are the subscriber's: neither is logged, only Twilio's message id.
        [LoggerMessage(2, LogLevel.Information, "A number {Change} SMS (inbound message {MessageSid})", EventName = "SmsOptChanged")]
        public static partial void OptChanged(ILogger logger, string change, string messageSid);
    }
}
