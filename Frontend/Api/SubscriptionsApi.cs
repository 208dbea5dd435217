using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Publishing;
using Notify.Frontend.Validation;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Expiry;
using Notify.Metadata.Keys;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Email;
using Notify.Shared.Ids;
using Notify.Shared.Sms;
using Notify.Shared.Webhooks;

namespace Notify.Frontend.Api;

/// <summary>Subscriptions as their topic's owner manages them (with an API key); the links their endpoints get are <see cref="SubscriptionLinksApi"/>.</summary>
public static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var ofTopic = app.MapGroup("/v1/topics/{name}/subscriptions").WithTags("Subscriptions").RequireAuthorization().ValidatesTopicName();
        ofTopic.MapPost("", Subscribe).WithName("Subscribe").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented(
                "Subscribe an endpoint",
                "Subscribes a webhook URL, an email address or an SMS number to the topic (201, Location: /v1/subscriptions/{id}), optionally with a filter policy and a delivery policy " +
                $"(retrySeconds: up to {RetrySchedule.MaxRetries} waits of 0 to {RetrySchedule.MaxWaitSeconds} s before each retry; maxPerSecond: {DeliveryPolicy.MinRate} to {DeliveryPolicy.MaxRate} deliveries a second). " +
                "A webhook's 201 carries its signing secret (secret, shown only then): every request to it is signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). " +
                "Webhooks and email start pending, are sent a confirmation request, and are deleted if not confirmed within Notify:Subscriptions:PendingExpiry (3 days); SMS is confirmed at once. " +
                "A webhook URL must be https and its host globally reachable (else 400), unless the server sets Notify:Webhooks:RequireHttps=false or Notify:Webhooks:AllowPrivateNetworks=true (the defaults in Development). " +
                "Idempotent: the same protocol and endpoint answer 200 with the existing subscription (and send a pending one's confirmation request again); 409 when it exists with another filter policy or delivery policy.");
        ofTopic.MapGet("", ListSubscriptions).WithName("ListSubscriptions").RequiresPermission(ApiKeyPermission.Read, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("List a topic's subscriptions", "The topic's subscriptions in creation order, a page at a time: pass nextCursor back as cursor for the next page.");

        var all = app.MapGroup("/v1/subscriptions").WithTags("Subscriptions").RequireAuthorization();
        all.MapGet("", ListAllSubscriptions).WithName("ListAllSubscriptions").RequiresPermission(ApiKeyPermission.Read, TopicSource.Listing)
            .Documented(
                "List subscriptions across topics",
                "Every subscription, filtered by topic, protocol and status, ordered by topic name then creation, a page at a time. " +
                "A page may hold fewer than limit items (even none) while more follow: keep following nextCursor until it is null.");
        all.MapGet("/{id}", GetSubscription).WithName("GetSubscription").RequiresPermission(ApiKeyPermission.Read, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Get a subscription", "The subscription, with its status, its filter policy, and the last delivery error (for a pending one: why its confirmation request did not arrive).");
        all.MapPatch("/{id}", UpdateSubscription).WithName("UpdateSubscription").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Change a subscription's settings",
                "A JSON merge patch (RFC 7396) of its settings: filterPolicy and deliveryPolicy. A field left out stays as it is; null removes it. " +
                "deliveryPolicy merges member by member: {\"deliveryPolicy\": {\"maxPerSecond\": 5}} changes the rate and keeps retrySeconds; {\"deliveryPolicy\": {\"retrySeconds\": null}} returns to the protocol's schedule; {\"deliveryPolicy\": null} removes both.");
        all.MapDelete("/{id}", DeleteSubscription).WithName("DeleteSubscription").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Delete a subscription", "Deletes the subscription: nothing more is sent to its endpoint, not even a delivery already being retried.");
        all.MapPost("/{id}/confirmation", ResendConfirmation).WithName("ResendConfirmation").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Subscription)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented("Send the confirmation request again", "Queues the confirmation request of a pending subscription again (202). 409 when it is already confirmed (or disabled).");
        all.MapPost("/{id}/enable", EnableSubscription).WithName("EnableSubscription").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Subscription)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented(
                "Enable a disabled subscription",
                "Makes a disabled subscription confirmed again (its disabledReason removed), so it receives the topic's messages from now on; messages published while it was disabled are not sent. " +
                "200 with the subscription; an already confirmed one is returned unchanged. 409 when it is pending: it must be confirmed first.");
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
        IOptions<SubscriptionOptions> subscriptions,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (EndpointRule.Check(request.Protocol, request.Endpoint, out var endpoint) is { } errors)
        {
            return Problems.Invalid(errors);
        }

        if (SettingsRule.FilterPolicy(request.FilterPolicy, out var filterPolicy) is { } policyProblem)
        {
            return Problems.Invalid("filterPolicy", policyProblem);
        }

        if (DeliveryPolicyRule.Apply(request.DeliveryPolicy, current: null, out var deliveryPolicy) is { } deliveryProblem)
        {
            return Problems.Invalid(deliveryProblem.Field, deliveryProblem.Problem);
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

        if (protocol == Protocol.Webhook && webhooks.Value.RequireHttps is true
            && new Uri(endpoint).Scheme != Uri.UriSchemeHttps)
        {
            return Problems.Invalid("endpoint", "must be an https URL; set Notify:Webhooks:RequireHttps=false to allow http");
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
            CreatedAt = now,
            ConfirmedAt = confirmedAtOnce ? now : null,
            ExpiresAt = confirmedAtOnce ? null : now + subscriptions.Value.PendingExpiry,
            FilterPolicy = filterPolicy,
            DeliveryPolicy = deliveryPolicy,
            SigningSecrets = protocol == Protocol.Webhook ? new SigningSecrets(WebhookSecret.New()) : null,
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

        if (!created && subscription.FilterPolicy != filterPolicy)
        {
            return Problems.Status(StatusCodes.Status409Conflict,
                $"{endpoint} is already subscribed to '{name}' (subscription {subscription.Id}) with {(subscription.FilterPolicy is null ? "no filter policy" : "another filter policy")}; change it with PATCH /v1/subscriptions/{subscription.Id}.");
        }

        if (!created && subscription.DeliveryPolicy != deliveryPolicy)
        {
            return Problems.Status(StatusCodes.Status409Conflict,
                $"{endpoint} is already subscribed to '{name}' (subscription {subscription.Id}) with {(subscription.DeliveryPolicy is null ? "no delivery policy" : "another delivery policy")}; change it with PATCH /v1/subscriptions/{subscription.Id}.");
        }

        if (subscription.Status == SubscriptionStatus.Pending)
        {
            await publisher.RequestConfirmationAsync(subscription.Id, cancellationToken);
        }

        var response = await SubscriptionViews.ResponseAsync(store, subscription, cancellationToken);

        // The signing secret is shown once, to whoever made the subscription; a repeat subscribe does not see it.
        return created
            ? TypedResults.Created($"/v1/subscriptions/{subscription.Id}", response with { Secret = subscription.SigningSecrets?.Current })
            : TypedResults.Ok(response);
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
        return TypedResults.Ok(new ListResponse<SubscriptionResponse>(await SubscriptionViews.ResponsesAsync(store, page.Items, cancellationToken), page.NextCursor));
    }

    internal static async Task<Ok<ListResponse<SubscriptionResponse>>> ListAllSubscriptions(
        ClaimsPrincipal user,
        IMetadataStore store,
        CancellationToken cancellationToken,
        string? topic = null,
        string? protocol = null,
        string? status = null,
        string? limit = null,
        string? cursor = null)
    {
        var filter = SubscriptionListFilter.Parse(topic, protocol, status);
        var page = await store.ListAllSubscriptionsAsync(filter.Query, Paging.Limit(limit), cursor, cancellationToken);
        var listable = TopicAuthorization.ListableTopics(user);
        var items = (await SubscriptionViews.ResponsesAsync(store, page.Items.Where(s => listable(s.Topic)).ToList(), cancellationToken)).Where(filter.Shows).ToList();
        return TypedResults.Ok(new ListResponse<SubscriptionResponse>(items, page.NextCursor));
    }

    internal static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscription(
        string id, IMetadataStore store, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        return subscription is null ? Problems.SubscriptionNotFound(id) : TypedResults.Ok(await SubscriptionViews.ResponseAsync(store, subscription, cancellationToken));
    }

    /// <summary>Merges the patch onto the subscription's settings: a field left out keeps its value, null removes it.</summary>
    internal static async Task<Results<Ok<SubscriptionResponse>, ValidationProblem, ProblemHttpResult>> UpdateSubscription(
        string id, MergePatchBody<UpdateSubscriptionRequest> body, IMetadataStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetSubscriptionAsync(id, cancellationToken);
        if (current is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        var patch = body.Value;
        var filterPolicy = current.FilterPolicy;
        if (patch.FilterPolicy.ValueKind != System.Text.Json.JsonValueKind.Undefined
            && SettingsRule.FilterPolicy(patch.FilterPolicy, out filterPolicy) is { } problem)
        {
            return Problems.Invalid("filterPolicy", problem);
        }

        if (DeliveryPolicyRule.Apply(patch.DeliveryPolicy, current.DeliveryPolicy, out var deliveryPolicy) is { } deliveryProblem)
        {
            return Problems.Invalid(deliveryProblem.Field, deliveryProblem.Problem);
        }

        var updated = await store.UpdateSubscriptionAsync(id, new SubscriptionSettings(filterPolicy, deliveryPolicy), cancellationToken);
        return updated is null ? Problems.SubscriptionNotFound(id) : TypedResults.Ok(await SubscriptionViews.ResponseAsync(store, updated, cancellationToken));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteSubscription(
        string id, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken) =>
        await store.DeleteSubscriptionAsync(id, clock.GetUtcNow(), cancellationToken) is not null ? TypedResults.NoContent() : Problems.SubscriptionNotFound(id);

    /// <summary>202: the confirmation request is queued again (the Sender delivers and retries it); its expiry is not extended.</summary>
    internal static async Task<Results<Accepted<SubscriptionResponse>, ProblemHttpResult>> ResendConfirmation(
        string id, IMetadataStore store, Publisher publisher, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (subscription.Status != SubscriptionStatus.Pending)
        {
            return Problems.Status(StatusCodes.Status409Conflict, subscription.Status == SubscriptionStatus.Disabled
                ? $"Subscription '{id}' is confirmed but disabled; it needs no confirmation request: enable it with POST /v1/subscriptions/{id}/enable."
                : $"Subscription '{id}' is already confirmed; it needs no confirmation request.");
        }

        await publisher.RequestConfirmationAsync(id, cancellationToken);
        return TypedResults.Accepted($"/v1/subscriptions/{id}", await SubscriptionViews.ResponseAsync(store, subscription, cancellationToken));
    }

    /// <summary>200 with the subscription enabled (or already confirmed); 409 while it is pending, which only its confirm link ends.</summary>
    internal static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> EnableSubscription(
        string id, IMetadataStore store, CancellationToken cancellationToken)
    {
        var subscription = await store.SetDisabledAsync(id, reason: null, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (subscription.Status == SubscriptionStatus.Pending)
        {
            return Problems.Status(StatusCodes.Status409Conflict,
                $"Subscription '{id}' is pending: it must be confirmed first, with the link sent to its endpoint (POST /v1/subscriptions/{id}/confirmation sends it again).");
        }

        return TypedResults.Ok(await SubscriptionViews.ResponseAsync(store, subscription, cancellationToken));
    }
}
