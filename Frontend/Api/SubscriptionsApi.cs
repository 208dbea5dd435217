using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Publishing;
using Notify.Frontend.Validation;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Email;
using Notify.Shared.Ids;
using Notify.Shared.Sms;
using Notify.Shared.Webhooks;

namespace Notify.Frontend.Api;

public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var ofTopic = app.MapGroup("/v1/topics/{name}/subscriptions").WithTags("Subscriptions").RequireAuthorization().ValidatesTopicName();
        ofTopic.MapPost("", Subscribe).WithName("Subscribe").ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Subscribe an endpoint",
                "Subscribes a webhook URL, an email address or an SMS number to the topic (201, Location: /v1/subscriptions/{id}). " +
                "Webhooks and email start pending and are sent a confirmation request; SMS is confirmed at once. " +
                "Idempotent: the same protocol and endpoint answer 200 with the existing subscription (and send a pending one's confirmation request again).");
        ofTopic.MapGet("", ListSubscriptions).WithName("ListSubscriptions").ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("List a topic's subscriptions", "The topic's subscriptions in creation order, a page at a time: pass nextCursor back as cursor for the next page.");

        var subscriptions = app.MapGroup("/v1/subscriptions/{id}").WithTags("Subscriptions");
        subscriptions.MapGet("", GetSubscription).WithName("GetSubscription").RequireAuthorization().ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Get a subscription", "The subscription, with its status and the last delivery error, if any.");
        subscriptions.MapDelete("", DeleteSubscription).WithName("DeleteSubscription").RequireAuthorization().ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Delete a subscription", "Deletes the subscription: nothing more is sent to its endpoint.");

        // The links sent to the endpoint's owner: their token is the credential, not an API key.
        subscriptions.MapGet("/confirm", Confirm).WithName("ConfirmSubscription").AllowAnonymous().ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Confirm a subscription (link)", "The confirm link sent to the endpoint: no API key, the token is the credential. A browser (Accept: text/html) gets a page, other clients the confirmed subscription.");
        subscriptions.MapGet("/unsubscribe", Unsubscribe).WithName("Unsubscribe").AllowAnonymous().ProducesLinkPage()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (link)", "The unsubscribe link in every message: no API key, the token is the credential. A browser (Accept: text/html) gets a page.");

        // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
        // The token in the URL is the credential; the body is not needed to act on it.
        subscriptions.MapPost("/unsubscribe", Unsubscribe).WithName("UnsubscribeOneClick").AllowAnonymous().DisableAntiforgery().ProducesLinkPage()
            .Accepts<OneClickUnsubscribeForm>(isOptional: true, "application/x-www-form-urlencoded")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound)
            .Documented("Unsubscribe (one-click)", "RFC 8058 one-click unsubscribe, as mail clients POST it to the List-Unsubscribe URL; the body is not needed.");
        return app;
    }

    /// <summary>
    /// 201 with a new subscription; 200 with the existing one for the same protocol and endpoint.
    /// Webhooks and email start pending and get a confirmation request (sent again on a repeated subscribe
    /// while still pending); SMS is confirmed at once, as in SNS. A protocol whose channel is not
    /// configured on this server is refused (400) with the settings to set.
    /// </summary>
    internal static async Task<Results<Created<SubscriptionResponse>, Ok<SubscriptionResponse>, ValidationProblem, ProblemHttpResult>> Subscribe(
        string name,
        JsonBody<SubscribeRequest> body,
        IMetadataStore store,
        Publisher publisher,
        IOptions<WebhookOptions> webhooks,
        IOptions<EmailOptions> email,
        IOptions<SmsOptions> sms,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (EndpointRule.Check(request.Protocol, request.Endpoint, out var endpoint) is { } errors)
        {
            return Problems.Invalid(errors);
        }

        var protocol = request.Protocol;

        // A channel this server cannot deliver through would take subscriptions and then drop every message.
        var disabled = protocol switch
        {
            Protocol.Email => email.Value.WhyDisabled,
            Protocol.Sms => sms.Value.WhyDisabled,
            _ => null,
        };
        if (disabled is not null)
        {
            return Problems.Invalid("protocol", disabled);
        }

        if (protocol == Protocol.Webhook && webhooks.Value.AllowPrivateNetworks != true
            && await PrivateNetworkGuard.CheckEndpointAsync(new Uri(endpoint), cancellationToken) is { } refusal)
        {
            return Problems.Invalid("endpoint", refusal);
        }

        var now = clock.GetUtcNow();
        var confirmedAtOnce = protocol == Protocol.Sms;
        var candidate = new Subscription
        {
            Id = SortableId.New(clock),
            Topic = name,
            Protocol = protocol,
            Endpoint = endpoint,
            Status = confirmedAtOnce ? SubscriptionStatus.Confirmed : SubscriptionStatus.Pending,
            ConfirmToken = NewToken(),
            UnsubscribeToken = NewToken(),
            CreatedAt = now,
            ConfirmedAt = confirmedAtOnce ? now : null,
        };

        Subscription subscription;
        bool created;
        try
        {
            (subscription, created) = await store.SubscribeAsync(candidate, cancellationToken);
        }
        catch (TopicNotFoundException)
        {
            return Problems.TopicNotFound(name);
        }

        if (subscription.Status == SubscriptionStatus.Pending)
        {
            await publisher.RequestConfirmationAsync(subscription.Id, cancellationToken);
        }

        var response = (await ResponsesAsync(store, [subscription], cancellationToken))[0];
        return created ? TypedResults.Created($"/v1/subscriptions/{subscription.Id}", response) : TypedResults.Ok(response);
    }

    internal static async Task<Results<Ok<ListResponse<SubscriptionResponse>>, ProblemHttpResult>> ListSubscriptions(
        string name, IMetadataStore store, CancellationToken cancellationToken, string? limit = null, string? cursor = null)
    {
        var pageSize = Paging.Limit(limit);
        if (await store.GetTopicAsync(name, cancellationToken) is null)
        {
            return Problems.TopicNotFound(name);
        }

        var page = await store.ListSubscriptionsAsync(name, pageSize, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<SubscriptionResponse>(await ResponsesAsync(store, page.Items, cancellationToken), page.NextCursor));
    }

    internal static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscription(
        string id, IMetadataStore store, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        return subscription is null ? Problems.SubscriptionNotFound(id) : TypedResults.Ok((await ResponsesAsync(store, [subscription], cancellationToken))[0]);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubscription(
        string id, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        await store.DeleteSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken) is not null ? TypedResults.NoContent() : Problems.SubscriptionNotFound(id);

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
            return Problems.SubscriptionNotFound(id);
        }

        if (!TokensMatch(subscription.ConfirmToken, token))
        {
            return Problems.WrongToken();
        }

        var confirmed = await store.ConfirmSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken);
        if (confirmed is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        return LinkPage.IsWanted(request) ? LinkPage.Confirmed(confirmed.Topic, confirmed.Endpoint) : TypedResults.Ok(SubscriptionResponse.From(confirmed));
    }

    internal static async Task<Results<Ok<SubscriptionResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> Unsubscribe(
        string id, string? token, HttpRequest request, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Problems.Invalid("token", "The unsubscribe link needs its token query parameter; use the link exactly as it was sent.");
        }

        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (!TokensMatch(subscription.UnsubscribeToken, token))
        {
            return Problems.WrongToken();
        }

        await store.DeleteSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken);
        return LinkPage.IsWanted(request)
            ? LinkPage.Unsubscribed(subscription.Topic, subscription.Endpoint)
            : TypedResults.Ok(SubscriptionResponse.From(subscription, status: SubscriptionState.Unsubscribed));
    }

    /// <summary>The subscriptions as callers see them; SMS numbers that replied STOP show as opted out (one read for the page).</summary>
    private static async Task<List<SubscriptionResponse>> ResponsesAsync(
        IMetadataStore store, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken)
    {
        var optedOut = await store.OptedOutNumbersAsync(subscriptions, cancellationToken);
        return subscriptions
            .Select(s => SubscriptionResponse.From(s, optedOut: s.IsOptedOut(optedOut)))
            .ToList();
    }

    private static string NewToken() =>
        System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static bool TokensMatch(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
