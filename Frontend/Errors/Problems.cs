using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Validation;

namespace Notify.Frontend.Errors;

/// <summary>The API's error answers: every one is application/problem+json with a detail to act on.</summary>
internal static class Problems
{
    public static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: errors.Detail);

    public static ValidationProblem Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static ProblemHttpResult TopicNotFound(string topic) =>
        TypedResults.Problem($"Topic '{topic}' does not exist; create it with POST /v1/topics.", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult SubscriptionNotFound(string id) =>
        TypedResults.Problem($"Subscription '{id}' does not exist (it may have been unsubscribed or its topic deleted).", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// A confirm or unsubscribe link that nobody holding it could have received: the same answer whether its
    /// subscription never existed or its token is wrong, so a link tells nothing about which ids exist.
    /// </summary>
    public static ProblemHttpResult InvalidLink() =>
        TypedResults.Problem(InvalidLinkDetail, statusCode: StatusCodes.Status404NotFound);

    public const string InvalidLinkDetail =
        "This link is not valid or has expired: its subscription is gone (unsubscribed, deleted, or not confirmed in time), or the link was changed. Use the link exactly as it was sent, or subscribe again.";

    public static ProblemHttpResult Status(int statusCode, string detail) =>
        TypedResults.Problem(detail, statusCode: statusCode);

    public static ProblemHttpResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult TooLarge(int bytes) =>
        TypedResults.Problem(
            $"The message, subject and attributes take {bytes:N0} bytes of UTF-8; the limit is {Limits.MessageMaxBytes:N0} bytes (256 KiB). Send a smaller message, or a link to the content.",
            statusCode: StatusCodes.Status413PayloadTooLarge);
}
