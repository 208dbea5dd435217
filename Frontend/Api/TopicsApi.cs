using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Validation;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

public static class TopicsApi
{
    public static IEndpointRouteBuilder MapTopicsApi(this IEndpointRouteBuilder app)
    {
        var topics = app.MapGroup("/v1/topics").WithTags("Topics").RequireAuthorization().ValidatesTopicName();
        topics.MapPost("/", CreateTopic).WithName("CreateTopic");
        topics.MapGet("/", ListTopics).WithName("ListTopics");
        topics.MapGet("/{name}", GetTopic).WithName("GetTopic");
        topics.MapDelete("/{name}", DeleteTopic).WithName("DeleteTopic");
        return app;
    }

    /// <summary>201 for a new topic; 200 with the existing topic when the name is taken (idempotent).</summary>
    internal static async Task<Results<Created<TopicResponse>, Ok<TopicResponse>, ValidationProblem>> CreateTopic(
        [FromBody] CreateTopicRequest request, IMetadataStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (TopicNameRule.Check(request.Name) is { } problem)
        {
            return Problems.Invalid("name", problem);
        }

        var (topic, created) = await store.CreateTopicAsync(request.Name!, clock.GetUtcNow(), cancellationToken);
        var body = TopicResponse.From(topic);
        return created
            ? TypedResults.Created($"/v1/topics/{topic.Name}", body)
            : TypedResults.Ok(body);
    }

    internal static async Task<Results<Ok<ListResponse<TopicResponse>>, ValidationProblem>> ListTopics(
        IMetadataStore store, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        if (Paging.Check(limit) is { } problem)
        {
            return Problems.Invalid("limit", problem);
        }

        var page = await store.ListTopicsAsync(limit ?? Limits.DefaultPageSize, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<TopicResponse>(page.Items.Select(TopicResponse.From).ToList(), page.NextCursor));
    }

    internal static async Task<Results<Ok<TopicResponse>, ProblemHttpResult>> GetTopic(
        string name, IMetadataStore store, CancellationToken cancellationToken)
    {
        var topic = await store.GetTopicAsync(name, cancellationToken);
        return topic is null ? Problems.TopicNotFound(name) : TypedResults.Ok(TopicResponse.From(topic));
    }

    /// <summary>Deletes the topic and its subscriptions; messages still queued for it are dropped by the Sender.</summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteTopic(
        string name, IMetadataStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteTopicAsync(name, cancellationToken) ? TypedResults.NoContent() : Problems.TopicNotFound(name);
    }
}
