using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.OpenApi;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Links;

namespace Notify.Frontend.Api;

/// <summary>
/// The links sent to a subscription's endpoint (in the confirmation request and in every message): no API
/// key, their token is the credential. A browser (Accept: text/html) gets a page, other clients JSON. A link
/// whose token does not match answers exactly as a link to a subscription that never existed, so the links
/// cannot be used to learn which subscription ids exist.
/// </summary>
public static class SubscriptionLinksApi
{
    public static IEndpointRouteBuilder MapSubscriptionLinksApi(this IEndpointRouteBuilder app)
    {
        var links = app.MapGroup("/v1/subscriptions/{id}").WithTags("Subscription links").AllowAnonymous()
            .AddEndpointFilter(static (context, next) =>
            {
                LinkPage.SecureHeaders(context.HttpContext.Response);
                return next(context);
            });
        links.MapGet("/confirm", Confirm).WithName("ConfirmSubscription").ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .Documented("Confirm a subscription (link)", "The confirm link sent to the endpoint: no API key, the token is the credential. Confirming again is harmless, and leaves a disabled subscription disabled. 404 once the subscription is gone (unsubscribed, deleted, or expired unconfirmed), and for a wrong token: the two are not told apart.");
        links.MapGet("/unsubscribe", Unsubscribe).WithName("Unsubscribe").ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (link)", "The unsubscribe link in every message: no API key, the token is the credential. Idempotent: a repeat answers 200 with alreadyUnsubscribed: true (for 30 days). 404 for an unknown subscription and for a wrong token alike.");

        // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
        // The token in the URL is the credential; the body is not needed to act on it.
        links.MapPost("/unsubscribe", Unsubscribe).WithName("UnsubscribeOneClick").DisableAntiforgery().ProducesLinkPage()
            .Accepts<OneClickUnsubscribeForm>(isOptional: true, "application/x-www-form-urlencoded")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (one-click)", "RFC 8058 one-click unsubscribe, as mail clients POST it to the List-Unsubscribe URL; the body is not needed. Idempotent, as the link.");
        return app;
    }

    internal static async Task<Results<Ok<SubscriptionResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Confirm(
        string id, string? token, HttpRequest request, IMetadataStore store, LinkTokens tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Problems.Invalid("token", "The confirm link needs its token query parameter; use the link exactly as it was sent.");
        }

        var (subscription, record) = await LookUpAsync(id, token, LinkPurpose.Confirm, store, tokens, cancellationToken);
        if (subscription is not null)
        {
            var confirmed = await store.ConfirmSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken);
            if (confirmed is null)
            {
                // Deleted meanwhile: its record, if kept, says when.
                record = await store.GetDeletedSubscriptionAsync(id, cancellationToken);
            }
            else
            {
                if (LinkPage.IsWanted(request))
                {
                    return confirmed.Status == SubscriptionStatus.Disabled
                        ? LinkPage.Disabled(confirmed.Topic, confirmed.Endpoint)
                        : LinkPage.Confirmed(confirmed.Topic, confirmed.Endpoint);
                }

                return TypedResults.Ok(SubscriptionResponse.From(confirmed));
            }
        }

        // Only whoever holds the link learns when its subscription went.
        if (record is not null)
        {
            return Problems.NotFound($"Subscription '{id}' was unsubscribed (or deleted) at {record.DeletedAt:u}; subscribe again to receive the topic's messages.");
        }

        return LinkPage.IsWanted(request) ? LinkPage.Invalid() : Problems.InvalidLink();
    }

    /// <summary>Deletes the subscription; a repeat (or a click after it was deleted) answers 200 saying it already was.</summary>
    internal static async Task<Results<Ok<UnsubscribedResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Unsubscribe(
        string id, string? token, HttpRequest request, IMetadataStore store, LinkTokens tokens, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Problems.Invalid("token", "The unsubscribe link needs its token query parameter; use the link exactly as it was sent.");
        }

        var (subscription, record) = await LookUpAsync(id, token, LinkPurpose.Unsubscribe, store, tokens, cancellationToken);

        // At the stores' precision (milliseconds), so a repeat's answer names the very same instant.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        if (subscription is not null)
        {
            if (await store.DeleteSubscriptionAsync(id, now, cancellationToken) is { } deleted)
            {
                return Answer(request, UnsubscribedResponse.From(deleted, now, already: false));
            }

            // Gone meanwhile (another click, a delete): its record says so, to whoever holds its link.
            record = await store.GetDeletedSubscriptionAsync(id, cancellationToken);
        }

        if (record is not null)
        {
            return Answer(request, UnsubscribedResponse.From(record.Subscription, record.DeletedAt, already: true));
        }

        return LinkPage.IsWanted(request) ? LinkPage.Invalid() : Problems.InvalidLink();
    }

    /// <summary>
    /// The subscription, or the record of its deletion, when <paramref name="token"/> is the link's; (null,
    /// null) when it is not, whether or not the subscription exists. A token that is not the derived one is
    /// checked against the hash kept from before tokens were derived, and then both are looked up, whatever
    /// is found: the wrong token of an existing subscription takes the same reads, and the same hashing
    /// (<see cref="LinkTokens.Accepts"/>), as any token for an unknown id. Best effort: a store's own read
    /// times may still differ between a row found and none.
    /// </summary>
    private static async Task<(Subscription? Subscription, DeletedSubscription? Record)> LookUpAsync(
        string id, string token, LinkPurpose purpose, IMetadataStore store, LinkTokens tokens, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        var record = await store.GetDeletedSubscriptionAsync(id, cancellationToken);
        var held = subscription ?? record?.Subscription;
        var stored = purpose == LinkPurpose.Confirm ? held?.ConfirmTokenHash : held?.UnsubscribeTokenHash;
        return tokens.Accepts(purpose, id, token, stored) && held is not null ? (subscription, record) : (null, null);
    }

    private static Results<Ok<UnsubscribedResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult> Answer(HttpRequest request, UnsubscribedResponse response) =>
        LinkPage.IsWanted(request) ? LinkPage.Unsubscribed(response) : TypedResults.Ok(response);
}
