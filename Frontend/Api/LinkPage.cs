using System.Net;
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
    /// <summary>Declares the page beside the JSON answer, for the OpenAPI document (<see cref="OpenApi.LinkPageTransformer"/>).</summary>
    public static RouteHandlerBuilder ProducesLinkPage(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new Marker());

    /// <summary>Marks the endpoints that answer browsers with a page.</summary>
    internal sealed class Marker;

    public static bool IsWanted(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

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

    private static ContentHttpResult Page(string title, string text) =>
        TypedResults.Content(
            $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{WebUtility.HtmlEncode(title)}</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em">
            <h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></body></html>
            """,
            "text/html; charset=utf-8");
}
