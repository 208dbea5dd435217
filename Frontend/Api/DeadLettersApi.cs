using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.DeadLetters;
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

/// <summary>
/// A subscription's dead letters, as its topic's owner reads, redrives and deletes them: deliveries that
/// exhausted their retries or met a permanent refusal, kept for <c>Notify:Delivery:DeadLetterRetention</c>.
/// </summary>
public static class DeadLettersApi
{
    /// <summary>How many dead letters <see cref="DeleteAllDeadLetters"/> reads per page.</summary>
    private const int DeletePageSize = 100;

    public static IEndpointRouteBuilder MapDeadLettersApi(this IEndpointRouteBuilder app)
    {
        var letters = app.MapGroup("/v1/subscriptions/{id}/dead-letters").WithTags("Dead letters").RequireAuthorization();
        letters.MapGet("", ListDeadLetters).WithName("ListDeadLetters").RequiresPermission(ApiKeyPermission.Read, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "List a subscription's dead letters",
                "Deliveries that exhausted their retry schedule or met a permanent refusal, in publish order, a page at a time: pass nextCursor back as cursor for the next page. " +
                "from and to (RFC 3339) keep those published in [from, to). Each is kept for Notify:Delivery:DeadLetterRetention (14 days). 404 when the subscription does not exist.");
        letters.MapGet("/{messageId}", GetDeadLetter).WithName("GetDeadLetter").RequiresPermission(ApiKeyPermission.Read, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Get a dead letter",
                "The dead letter with every attempt it had and the message as this subscription would have received it. 404 when the subscription or the dead letter does not exist.");
        letters.MapPost("/redrive", Redrive).WithName("RedriveDeadLetters").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Subscription)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented(
                "Deliver dead letters again",
                "Puts the selected dead letters back on the queue for delivery from attempt 1 (202): {} for all, messageIds for some, from and to (RFC 3339) for those published in [from, to). " +
                $"Each stays a dead letter until it is delivered. One call redrives at most {RedriveLimits.MaxPerCall}: while more is true, call again with nextCursor as cursor. " +
                "409 when the subscription is pending or disabled: confirm or enable it first.");
        letters.MapDelete("/{messageId}", DeleteDeadLetter).WithName("DeleteDeadLetter").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Delete a dead letter", "Forgets the dead letter (204); its message is not delivered to this subscription. 404 when the subscription or the dead letter does not exist.");
        letters.MapDelete("", DeleteAllDeadLetters).WithName("DeleteAllDeadLetters").RequiresPermission(ApiKeyPermission.Manage, TopicSource.Subscription).ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Delete all dead letters", "Forgets every dead letter of the subscription (204). 404 when the subscription does not exist.");
        return app;
    }

    internal static async Task<Results<Ok<ListResponse<DeadLetterResponse>>, ProblemHttpResult>> ListDeadLetters(
        string id,
        IMetadataStore store,
        IDeliveryStore deliveries,
        CancellationToken cancellationToken,
        string? limit = null,
        string? cursor = null,
        string? from = null,
        string? to = null)
    {
        var pageSize = Paging.Limit(limit);
        var window = PublishWindow.FromQuery(from, to);
        if (await store.GetSubscriptionAsync(id, cancellationToken) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        var page = await deliveries.ListDeadLettersAsync(id, window, pageSize, cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<DeadLetterResponse>(page.Items.Select(DeadLetterResponse.From).ToList(), page.NextCursor));
    }

    internal static async Task<Results<Ok<DeadLetterDetailResponse>, ProblemHttpResult>> GetDeadLetter(
        string id, string messageId, IMetadataStore store, IDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        var letter = await deliveries.GetDeadLetterAsync(id, messageId, cancellationToken);
        if (letter is null)
        {
            return DeadLetterNotFound(id, messageId);
        }

        var notification = DeadLetterEnvelope.Notification(letter);
        return TypedResults.Ok(DeadLetterDetailResponse.From(letter, DeadLetterMessageResponse.From(notification, ProtocolName(subscription.Protocol))));
    }

    /// <summary>202 once the selected dead letters are on the queue; the Sender removes each dead letter when it delivers it.</summary>
    internal static async Task<Results<Accepted<RedriveResponse>, ValidationProblem, ProblemHttpResult>> Redrive(
        string id,
        JsonBody<RedriveRequest> body,
        IMetadataStore store,
        DeadLetterRedrive redrive,
        CancellationToken cancellationToken)
    {
        var request = body.Value;
        if (RedriveRule.Check(request) is { } errors)
        {
            return Problems.Invalid(errors);
        }

        var window = PublishWindow.Check(request.From, request.To);
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (subscription.Status != SubscriptionStatus.Confirmed)
        {
            return Problems.Status(StatusCodes.Status409Conflict, subscription.Status == SubscriptionStatus.Pending
                ? $"Subscription '{id}' is pending: it receives nothing until its endpoint's owner confirms it. Confirm it first (POST /v1/subscriptions/{id}/confirmation sends the request again), then redrive."
                : $"Subscription '{id}' is disabled: it receives nothing until it is enabled. Enable it first (POST /v1/subscriptions/{id}/enable), then redrive.");
        }

        var result = request.MessageIds is { } messageIds
            ? await redrive.RedriveAsync(id, messageIds, cancellationToken)
            : await redrive.RedriveAsync(id, window, request.Cursor, cancellationToken);
        return TypedResults.Accepted((string?)null, result);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteDeadLetter(
        string id, string messageId, IMetadataStore store, IDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (await store.GetSubscriptionAsync(id, cancellationToken) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        return await deliveries.DeleteDeadLetterAsync(id, messageId, cancellationToken) ? TypedResults.NoContent() : DeadLetterNotFound(id, messageId);
    }

    /// <summary>
    /// Deletes page by page until the listing ends. The work is bounded by what retention keeps: a
    /// subscription holds only the dead letters of the last <c>Notify:Delivery:DeadLetterRetention</c>.
    /// </summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAllDeadLetters(
        string id, IMetadataStore store, IDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (await store.GetSubscriptionAsync(id, cancellationToken) is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        string? cursor = null;
        do
        {
            var page = await deliveries.ListDeadLettersAsync(id, null, DeletePageSize, cursor, cancellationToken);
            foreach (var letter in page.Items)
            {
                await deliveries.DeleteDeadLetterAsync(id, letter.MessageId, cancellationToken);
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return TypedResults.NoContent();
    }

    private static ProblemHttpResult DeadLetterNotFound(string id, string messageId) =>
        Problems.NotFound($"Subscription '{id}' has no dead letter of message '{messageId}' (it may have been delivered by a redrive, deleted, or expired).");

    private static string ProtocolName(Protocol protocol) => protocol switch
    {
        Protocol.Email => "email",
        Protocol.Sms => "sms",
        _ => "webhook",
    };
}
