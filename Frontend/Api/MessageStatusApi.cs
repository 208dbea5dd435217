using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Validation;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Keys;
using Notify.Metadata.Store;

namespace Notify.Frontend.Api;

/// <summary>A published message's fan-out status: its deliveries' counts and the retries still waiting.</summary>
public static class MessageStatusApi
{
    /// <summary>The retries a status shows at most.</summary>
    private const int MaxRetries = 100;

    public static IEndpointRouteBuilder MapMessageStatusApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/topics/{name}/messages").WithTags("Messages").RequireAuthorization().ValidatesTopicName()
            .MapGet("/{messageId}", GetMessageStatus).WithName("GetMessageStatus").RequiresPermission(ApiKeyPermission.Read, TopicSource.Route).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Get a message's delivery status",
                "How the message's fan-out went: how many subscribers it was for, how many deliveries succeeded, wait for a retry (with up to 100 of those retries), or became dead letters. " +
                "Kept for Notify:Delivery:MessageStatusRetention (7 days); 404 before the Sender has fanned it out, after that, or when it is not this topic's.");
        return app;
    }

    internal static async Task<Results<Ok<MessageStatusResponse>, ProblemHttpResult>> GetMessageStatus(
        string name, string messageId, IMetadataStore store, IDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (await store.GetTopicAsync(name, cancellationToken) is null)
        {
            return Problems.TopicNotFound(name);
        }

        var outcome = await deliveries.GetMessageOutcomeAsync(messageId, cancellationToken);
        if (outcome is null || outcome.Topic != name)
        {
            return Problems.NotFound(
                $"Topic '{name}' has no status for message '{messageId}': it was not published to this topic, the Sender has not fanned it out yet, or its status expired (Notify:Delivery:MessageStatusRetention).");
        }

        var retries = await deliveries.ListRetriesOfMessageAsync(messageId, MaxRetries, cancellationToken);
        return TypedResults.Ok(MessageStatusResponse.From(outcome, retries));
    }
}
