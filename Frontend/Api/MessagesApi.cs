using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Publishing;
using Notify.Frontend.RateLimiting;
using Notify.Frontend.Validation;
using Notify.Metadata.Keys;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

public static class MessagesApi
{
    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/topics/{name}/messages").WithTags("Messages").RequireAuthorization().ValidatesTopicName()
            .MapPost("", Publish)
            .WithName("Publish").RequiresPermission(ApiKeyPermission.Publish, TopicSource.Route)
            .RequireRateLimiting(RateLimitingRegistration.PublishPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(Limits.PublishBodyMaxBytes))
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge)
            .Documented(
                "Publish a message",
                "Accepts a message for every confirmed subscriber of the topic: 202 once it is stored durably; delivery follows, at least once. " +
                "With a dedupId (or the Idempotency-Key header), a repeat within the dedup window answers 202 with the first messageId and duplicate: true, and is not delivered again; " +
                "a repeat while the first is still being accepted answers 409 with Retry-After.");
        return app;
    }

    /// <summary>
    /// 202 once the message is durably queued. A repeat of a dedup id (or Idempotency-Key) within the
    /// window answers 202 with the first message id and <c>duplicate: true</c>, and is not delivered again;
    /// a repeat while the first is still being queued answers 409 with Retry-After (see <see cref="Publisher"/>).
    /// </summary>
    internal static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        string name,
        JsonBody<PublishRequest> body,
        [FromHeader(Name = ApiHeaders.IdempotencyKey)] string? idempotencyKey,
        IMetadataStore store,
        Publisher publisher,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (PublishRule.Check(request, idempotencyKey) is { } errors)
        {
            return Problems.Invalid(errors);
        }

        if (PublishRule.OversizeBytes(request) is { } bytes)
        {
            return Problems.TooLarge(bytes);
        }

        if (await store.GetTopicAsync(name, cancellationToken) is not { } topic)
        {
            return Problems.TopicNotFound(name);
        }

        var result = await publisher.PublishAsync(name, topic.Retention, request, request.DedupId ?? idempotencyKey, cancellationToken);
        return TypedResults.Accepted((string?)null, result);
    }
}
