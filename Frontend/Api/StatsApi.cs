using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Validation;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Keys;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

/// <summary>
/// Delivery counts of a topic and of a subscription, as the Senders count them (aggregated in memory and
/// written every <c>Notify:Delivery:StatsFlushInterval</c>, so a few seconds behind).
/// </summary>
public static class StatsApi
{
    /// <summary>Disabled subscriptions are counted a page of this many at a time.</summary>
    private const int DisabledPageSize = 100;

    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/topics/{name}/stats").WithTags("Stats").RequireAuthorization().ValidatesTopicName()
            .MapGet("", GetTopicStats).WithName("GetTopicStats").RequiresPermission(ApiKeyPermission.Read, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Get a topic's delivery stats",
                "Messages published to the topic and how their deliveries went, since the topic was made and over the last hour, with how many of its subscriptions are disabled. " +
                "retrying is how many deliveries wait for a retry now; in lastHour it is how many were scheduled again in the hour. Counts lag by a few seconds (Notify:Delivery:StatsFlushInterval).");
        app.MapGroup("/v1/subscriptions/{id}/stats").WithTags("Stats").RequireAuthorization()
            .MapGet("", GetSubscriptionStats).WithName("GetSubscriptionStats").RequiresPermission(ApiKeyPermission.Read, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Get a subscription's delivery stats",
                "How deliveries to the subscription went, since it was made and over the last hour, its last success and failure, and when its next retry is due. " +
                "published counts the deliveries made to it (a message it was sent counts once); retrying is as for a topic. Counts lag by a few seconds.");
        return app;
    }

    internal static async Task<Results<Ok<TopicStatsResponse>, ProblemHttpResult>> GetTopicStats(
        string name, IMetadataStore store, IDeliveryStore deliveries, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.GetTopicAsync(name, cancellationToken) is null)
        {
            return Problems.TopicNotFound(name);
        }

        var stats = await deliveries.GetStatsAsync(StatsScope.Topic(name), clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(TopicStatsResponse.From(stats, await CountDisabledAsync(store, name, cancellationToken)));
    }

    internal static async Task<Results<Ok<SubscriptionStatsResponse>, ProblemHttpResult>> GetSubscriptionStats(
        string id, IMetadataStore store, IDeliveryStore deliveries, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await store.GetSubscriptionAsync(id, cancellationToken) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        var stats = await deliveries.GetStatsAsync(StatsScope.Subscription(id), clock.GetUtcNow(), cancellationToken);
        var nextAttempt = await deliveries.NextAttemptOfSubscriptionAsync(id, cancellationToken);
        return TypedResults.Ok(SubscriptionStatsResponse.From(stats, nextAttempt));
    }

    /// <summary>Follows the listing to its end: a page may be short, or empty, while more follow.</summary>
    private static async Task<long> CountDisabledAsync(IMetadataStore store, string topic, CancellationToken cancellationToken)
    {
        var query = new SubscriptionQuery(topic, null, SubscriptionStatus.Disabled);
        long count = 0;
        string? cursor = null;
        do
        {
            var page = await store.ListAllSubscriptionsAsync(query, DisabledPageSize, cursor, cancellationToken);
            count += page.Items.Count;
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return count;
    }
}
