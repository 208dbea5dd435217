using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Notify.Frontend.Api.Contracts;

namespace Notify.Frontend.Api;

/// <summary>
/// The page a person sees after clicking a confirm or unsubscribe link in an email: browsers ask for
/// HTML, and a JSON document is no answer for them. API clients (no <c>text/html</c> in Accept) keep
/// getting JSON.
/// </summary>
internal static class LinkPage
{
    /// <summary>The page's only style, in a style element whose hash the policy allows: no inline style attribute.</summary>
    internal const string Style = "body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em}";

    /// <summary>
    /// Nothing loads but the one style element; no frame may hold the page (clickjacking a one-click
    /// unsubscribe), and forms may only post back here.
    /// </summary>
    internal static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Declares the page beside the JSON answer, for the OpenAPI document (<see cref="OpenApi.LinkPageTransformer"/>).</summary>
    public static RouteHandlerBuilder ProducesLinkPage(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new Marker());

    /// <summary>Marks the endpoints that answer browsers with a page.</summary>
    internal sealed class Marker;

    public static bool IsWanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The headers of every answer to a link, page or JSON, set as the answer starts (so an error answer
    /// written later keeps them). The token is in the URL: no referrer may carry it elsewhere, and no cache
    /// may keep the answer.
    /// </summary>
    public static void SecureHeaders(HttpResponse response) =>
        response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            return Task.CompletedTask;
        }, response);

    /// <summary>A confirm link followed after the subscription was disabled: confirming does not enable it.</summary>
    public static ContentHttpResult Disabled(string topic, string endpoint) =>
        Page("Subscription disabled", $"{endpoint} is subscribed to the topic \"{topic}\", but deliveries to it were turned off after it refused them. The topic's owner can turn them on again.");

    public static ContentHttpResult Confirmed(string topic, string endpoint) =>
        Page("Subscription confirmed", $"{endpoint} now receives the messages of the topic \"{topic}\". Every message carries a link to unsubscribe.");

    public static ContentHttpResult Unsubscribed(UnsubscribedResponse unsubscribed) =>
        Page(
            unsubscribed.AlreadyUnsubscribed ? "Already unsubscribed" : "Unsubscribed",
            unsubscribed.AlreadyUnsubscribed
                ? $"{unsubscribed.Endpoint} was already unsubscribed from the topic \"{unsubscribed.Topic}\" on {unsubscribed.UnsubscribedAt:d MMMM yyyy, HH:mm} UTC; it receives none of its messages."
                : $"{unsubscribed.Endpoint} no longer receives the messages of the topic \"{unsubscribed.Topic}\".");

    /// <summary>
    /// The one page (404) for an unknown subscription and a wrong token alike: it names nothing from the
    /// request, so its bytes are the same for every link it answers.
    /// </summary>
    public static ContentHttpResult Invalid() =>
        Page("This link is not valid or has expired",
            "Its subscription is gone (unsubscribed, deleted, or not confirmed in time), or the link was changed. Use the link exactly as it was sent, or subscribe again.",
            StatusCodes.Status404NotFound);

    private static ContentHttpResult Page(string title, string text, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{WebUtility.HtmlEncode(title)}</title><style>{Style}</style></head>
            <body>
            <h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>
            """,
            "text/html; charset=utf-8",
            statusCode: statusCode);
}
