using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Validation;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Keys;
using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

public static class TopicsApi
{
    public static IEndpointRouteBuilder MapTopicsApi(this IEndpointRouteBuilder app)
    {
        var topics = app.MapGroup("/v1/topics").WithTags("Topics").RequireAuthorization().ValidatesTopicName();
        topics.MapPost("", CreateTopic).WithName("CreateTopic").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Body)
            .Documented("Create a topic", "Creates a topic (201, Location: /v1/topics/{name}), keeping its messages for replay when retention is given. Idempotent: when the name is taken, answers 200 with the existing topic as it is.");
        topics.MapGet("", ListTopics).WithName("ListTopics").RequiresPermission(ApiKeyPermission.Read, TopicSource.Listing)
            .Documented("List topics", "Topics in name order, a page at a time: pass nextCursor back as cursor for the next page; it is null on the last.");
        topics.MapGet("/{name}", GetTopic).WithName("GetTopic").RequiresPermission(ApiKeyPermission.Read, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Get a topic", "The topic, or 404 when there is none by that name.");
        topics.MapPatch("/{name}", UpdateTopic).WithName("UpdateTopic").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Change a topic's settings", "A JSON merge patch (RFC 7396) of its settings: displayName, retention. A field left out stays as it is; null removes it.");
        topics.MapDelete("/{name}", DeleteTopic).WithName("DeleteTopic").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Delete a topic", "Deletes the topic and all its subscriptions. Messages already accepted for it are not delivered.");
        return app;
    }

    /// <summary>201 for a new topic; 200 with the existing topic when the name is taken (idempotent).</summary>
    internal static async Task<Results<Created<TopicResponse>, Ok<TopicResponse>, ValidationProblem, ProblemHttpResult>> CreateTopic(
        JsonBody<CreateTopicRequest> body, ClaimsPrincipal user, IAuthorizationService authorization, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = body.Value;
        var errors = new ValidationErrors();
        if (TopicNameRule.Check(request.Name) is { } problem)
        {
            errors.Add("name", problem);
        }

        if (RetentionRule.Check(request.Retention, out var retention) is { } retentionProblem)
        {
            errors.Add(RetentionRule.Field, retentionProblem);
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // The name is in the body, which the authorization middleware does not read.
        if (await authorization.RefusalAsync(user, request.Name!, ApiKeyPermission.Manage) is { } refusal)
        {
            return refusal;
        }

        var (topic, created) = await store.CreateTopicAsync(new Topic(request.Name!, clock.GetUtcNow()) { Retention = retention }, cancellationToken);
        var response = TopicResponse.From(topic);
        return created
            ? TypedResults.Created($"/v1/topics/{topic.Name}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>A scoped key sees only the topics its patterns cover, so a page may hold fewer than limit while more follow.</summary>
    internal static async Task<Ok<ListResponse<TopicResponse>>> ListTopics(
        ClaimsPrincipal user, IMetadataStore store, CancellationToken cancellationToken, string? limit = null, string? cursor = null)
    {
        var page = await store.ListTopicsAsync(Paging.Limit(limit), cursor, cancellationToken);
        var listable = TopicAuthorization.ListableTopics(user);
        return TypedResults.Ok(new ListResponse<TopicResponse>(page.Items.Where(t => listable(t.Name)).Select(TopicResponse.From).ToList(), page.NextCursor));
    }

    internal static async Task<Results<Ok<TopicResponse>, ProblemHttpResult>> GetTopic(
        string name, IMetadataStore store, CancellationToken cancellationToken)
    {
        var topic = await store.GetTopicAsync(name, cancellationToken);
        return topic is null ? Problems.TopicNotFound(name) : TypedResults.Ok(TopicResponse.From(topic));
    }

    /// <summary>Merges the patch onto the topic's settings: a field left out keeps its value, null removes it.</summary>
    internal static async Task<Results<Ok<TopicResponse>, ValidationProblem, ProblemHttpResult>> UpdateTopic(
        string name, MergePatchBody<UpdateTopicRequest> body, IMetadataStore store, CancellationToken cancellationToken)
    {
        var current = await store.GetTopicAsync(name, cancellationToken);
        if (current is null)
        {
            return Problems.TopicNotFound(name);
        }

        var patch = body.Value;
        var errors = new ValidationErrors();
        var displayName = current.DisplayName;
        if (patch.DisplayName.ValueKind != JsonValueKind.Undefined && SettingsRule.DisplayName(patch.DisplayName, out displayName) is { } problem)
        {
            errors.Add("displayName", problem);
        }

        var retention = current.Retention;
        if (patch.Retention.ValueKind != JsonValueKind.Undefined && RetentionRule.Check(patch.Retention, out retention) is { } retentionProblem)
        {
            errors.Add(RetentionRule.Field, retentionProblem);
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var updated = await store.UpdateTopicAsync(name, new TopicSettings(displayName, retention), cancellationToken);
        return updated is null ? Problems.TopicNotFound(name) : TypedResults.Ok(TopicResponse.From(updated));
    }

    /// <summary>
    /// Deletes the topic and its subscriptions; messages still queued for it are dropped by the Sender. Its
    /// stats go too, so a topic created again under the name starts from zero.
    /// </summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteTopic(
        string name, IMetadataStore store, IDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (!await store.DeleteTopicAsync(name, cancellationToken))
        {
            return Problems.TopicNotFound(name);
        }

        await deliveries.DeleteStatsAsync(StatsScope.Topic(name), cancellationToken);
        return TypedResults.NoContent();
    }
}
