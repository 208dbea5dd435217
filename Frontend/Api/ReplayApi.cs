using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Replay;
using Notify.Frontend.Validation;
using Notify.Metadata.Keys;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

/// <summary>
/// Replay: a topic that keeps its messages (<c>retention</c>) delivers a window of them again to one subscription,
/// through its normal retry schedule, marked so its receiver can tell.
/// </summary>
public static class ReplayApi
{
    public static IEndpointRouteBuilder MapReplayApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/subscriptions/{id}/replay").WithTags("Subscriptions").RequireAuthorization()
            .MapPost("", Replay).WithName("ReplaySubscription").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Subscription)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented(
                "Deliver a window of kept messages again",
                "Queues the messages the subscription's topic kept (its retention) that were published in [from, to) (RFC 3339) for delivery to this one subscription again, " +
                "from attempt 1 through its retry schedule; webhooks carry X-Notify-Replay: true. Messages its filter policy does not admit are left out. " +
                $"One call reads at most {ReplayLimits.MaxPerCall} messages: while nextCursor is not null, call again with it as cursor. " +
                "409 when the subscription is pending or disabled, or when its topic keeps no messages.");
        return app;
    }

    internal static async Task<Results<Ok<ReplayResponse>, ValidationProblem, ProblemHttpResult>> Replay(
        string id,
        JsonBody<ReplayRequest> body,
        IMetadataStore store,
        MessageReplay replay,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (request.Cursor is { Length: 0 })
        {
            return Problems.Invalid("cursor", "cursor is empty; send the nextCursor of the previous answer as it was given, or leave it out.");
        }

        var window = PublishWindow.Check(request.From, request.To)!;
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (subscription.Status != SubscriptionStatus.Confirmed)
        {
            return Problems.Status(StatusCodes.Status409Conflict, subscription.Status == SubscriptionStatus.Pending
                ? $"Subscription '{id}' is pending: it receives nothing until its endpoint's owner confirms it. Confirm it first (POST /v1/subscriptions/{id}/confirmation sends the request again), then replay."
                : $"Subscription '{id}' is disabled: it receives nothing until it is enabled. Enable it first (POST /v1/subscriptions/{id}/enable), then replay.");
        }

        var topic = await store.GetTopicAsync(subscription.Topic, cancellationToken);
        if (topic?.Retention is null)
        {
            return Problems.Status(StatusCodes.Status409Conflict,
                $"Topic '{subscription.Topic}' keeps no messages; set retention on it first (PATCH /v1/topics/{subscription.Topic} with {{\"retention\": \"P7D\"}}). Only messages published after that can be replayed.");
        }

        return TypedResults.Ok(await replay.ReplayAsync(subscription, window, request.Cursor, cancellationToken));
    }
}
