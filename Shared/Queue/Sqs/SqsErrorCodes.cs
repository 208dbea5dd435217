using System.Collections.Frozen;
using System.Net;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// The Query-protocol error codes Notify acts on, and which answers are worth retrying. Query-protocol
/// codes differ from the JSON protocol's for the same errors (<c>AWS.SimpleQueueService.NonExistentQueue</c>
/// vs <c>QueueDoesNotExist</c>); both are recognised, so an endpoint that speaks either is understood.
/// </summary>
internal static class SqsErrorCodes
{
    public const string NonExistentQueue = "AWS.SimpleQueueService.NonExistentQueue";
    public const string QueueDoesNotExist = "QueueDoesNotExist";
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    public const string QueueNameExists = "QueueNameExists";
    public const string ReceiptHandleIsInvalid = "ReceiptHandleIsInvalid";
    public const string MessageNotInflight = "AWS.SimpleQueueService.MessageNotInflight";
    public const string InvalidParameterValue = "InvalidParameterValue";
    public const string InvalidAttributeValue = "InvalidAttributeValue";

    // Throttling and SQS-side failures: the request was fine, SQS could not take it now.
    private static readonly FrozenSet<string> TransientCodes = FrozenSet.ToFrozenSet(
    [
        "ThrottlingException",
        "Throttling",
        "RequestThrottled",
        "AWS.SimpleQueueService.RequestThrottled",
        "KMS.ThrottlingException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "ServiceUnavailable",
        "InternalError",
        "InternalFailure",
        "RequestTimeout",
        "RequestTimeoutException",
    ], StringComparer.Ordinal);

    public static bool IsTransient(HttpStatusCode statusCode, string code) =>
        TransientCodes.Contains(code)
        || statusCode is HttpStatusCode.TooManyRequests
            or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout;

    public static bool IsQueueMissing(string code) => code is NonExistentQueue or QueueDoesNotExist;

    public static bool IsQueueAttributeConflict(string code) => code is QueueAlreadyExists or QueueNameExists;

    /// <summary>
    /// The receipt handle no longer names a message in flight: deleted, received again by someone else,
    /// or expired. SQS says so in several ways: <c>ReceiptHandleIsInvalid</c>,
    /// <c>MessageNotInflight</c>, or (standard queues) <c>InvalidParameterValue</c> with "Value ... for
    /// parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for
    /// visibility timeout change."
    /// </summary>
    public static bool IsStaleReceiptHandle(SqsError error) =>
        error.Code is ReceiptHandleIsInvalid or MessageNotInflight
        || (error.Code == InvalidParameterValue && error.Message.Contains("ReceiptHandle", StringComparison.Ordinal));
}
