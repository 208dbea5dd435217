using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.OpenApi;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

/// <summary>
/// The links sent to a subscription's endpoint (in the confirmation request and in every message): no API
/// key, their token is the credential. A browser (Accept: text/html) gets a page, other clients JSON.
/// </summary>
public static class SubscriptionLinksApi
{
    public static IEndpointRouteBuilder MapSubscriptionLinksApi(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/v1/subscriptions/{id}").WithTags("Subscription links").AllowAnonymous();
        links.MapGet("/confirm", Confirm).WithName("ConfirmSubscription").ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Confirm a subscription (link)", "The confirm link sent to the endpoint: no API key, the token is the credential. Confirming again is harmless, and leaves a disabled subscription disabled. 404 once the subscription is gone (unsubscribed, deleted, or expired unconfirmed).");
        links.MapGet("/unsubscribe", Unsubscribe).WithName("Unsubscribe").ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (link)", "The unsubscribe link in every message: no API key, the token is the credential. Idempotent: a repeat answers 200 with alreadyUnsubscribed: true (for 30 days).");

        // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
        // The token in the URL is the credential; the body is not needed to act on it.
        links.MapPost("/unsubscribe", Unsubscribe).WithName("UnsubscribeOneClick").DisableAntiforgery().ProducesLinkPage()
            .Accepts<OneClickUnsubscribeForm>(isOptional: true, "application/x-www-form-urlencoded")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (one-click)", "RFC 8058 one-click unsubscribe, as mail clients POST it to the List-Unsubscribe URL; the body is not needed. Idempotent, as the link.");
        return app;
    }

    internal static async Task<Results<Ok<SubscriptionResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Confirm(
        string id, string? token, HttpRequest request, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Problems.Invalid("token", "The confirm link needs its token query parameter; use the link exactly as it was sent.");
        }

        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return await GoneAsync(id, token, isConfirm: true, store, cancellationToken);
        }

        if (!TokensMatch(subscription.ConfirmToken, token))
        {
            return Problems.WrongToken();
        }

        var confirmed = await store.ConfirmSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken);
        if (confirmed is null)
        {
            return await GoneAsync(id, token, isConfirm: true, store, cancellationToken);
        }

        if (LinkPage.IsWanted(request))
        {
            return confirmed.Status == SubscriptionStatus.Disabled
                ? LinkPage.Disabled(confirmed.Topic, confirmed.Endpoint)
                : LinkPage.Confirmed(confirmed.Topic, confirmed.Endpoint);
        }

        return TypedResults.Ok(SubscriptionResponse.From(confirmed));
    }

    /// <summary>Deletes the subscription; a repeat (or a click after it was deleted) answers 200 saying it already was.</summary>
    internal static async Task<Results<Ok<UnsubscribedResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Unsubscribe(
        string id, string? token, HttpRequest request, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Problems.Invalid("token", "The unsubscribe link needs its token query parameter; use the link exactly as it was sent.");
        }

        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is not null && !TokensMatch(subscription.UnsubscribeToken, token))
        {
            return Problems.WrongToken();
        }

        // At the stores' precision (milliseconds), so a repeat's answer names the very same instant.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        if (subscription is not null && await store.DeleteSubscriptionAsync(id, now, cancellationToken) is { } deleted)
        {
            return Answer(request, UnsubscribedResponse.From(deleted, now, already: false));
        }

        // Gone already, or meanwhile (another click, a delete): its record says so, to whoever holds its link.
        var record = await store.GetDeletedSubscriptionAsync(id, cancellationToken);
        if (record is null)
        {
            return await GoneAsync(id, token, isConfirm: false, store, cancellationToken);
        }

        return TokensMatch(record.Subscription.UnsubscribeToken, token)
            ? Answer(request, UnsubscribedResponse.From(record.Subscription, record.DeletedAt, already: true))
            : Problems.WrongToken();
    }

    private static Results<Ok<UnsubscribedResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult> Answer(HttpRequest request, UnsubscribedResponse response) =>
        LinkPage.IsWanted(request) ? LinkPage.Unsubscribed(response) : TypedResults.Ok(response);

    /// <summary>
    /// 404 for a link whose subscription is gone. Whoever holds the link (its token matches the record kept
    /// of an unsubscribed subscription) learns when and why; anyone else only that there is none.
    /// </summary>
    private static async Task<ProblemHttpResult> GoneAsync(string id, string token, bool isConfirm, IMetadataStore store, CancellationToken cancellationToken)
    {
        var record = await store.GetDeletedSubscriptionAsync(id, cancellationToken);
        var holder = record is not null && TokensMatch(isConfirm ? record.Subscription.ConfirmToken : record.Subscription.UnsubscribeToken, token);
        return holder
            ? Problems.NotFound($"Subscription '{id}' was unsubscribed (or deleted) at {record!.DeletedAt:u}; subscribe again to receive the topic's messages.")
            : Problems.NotFound($"Subscription '{id}' does not exist: it was unsubscribed, its topic deleted, or it expired before it was confirmed. Subscribe again to receive the topic's messages.");
    }

    private static bool TokensMatch(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
