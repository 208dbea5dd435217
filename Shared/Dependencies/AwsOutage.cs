using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Notify.Shared.Dependencies;

/// <summary>
/// Which exceptions of an AWS SDK client (SQS, DynamoDB) mean the service is unavailable to Notify, after
/// the client's own retries: no connection or a timeout, throttling, a 5xx, credentials or permissions
/// refused, a table that is gone. Not an outage: an answer about the data (a failed condition) or about
/// a malformed request (a defect in Notify), nor a cancellation the caller asked for.
/// </summary>
internal static class AwsOutage
{
    // 400-class codes that still mean "not now" or "not for this deployment", rather than "not this request".
    private static readonly HashSet<string> UnavailableCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "RequestThrottled",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "KMS.ThrottlingException",
        "LimitExceededException",
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "MissingAuthenticationToken",
        "IncompleteSignature",
        "ResourceNotFoundException",
    };

    public static bool IsOutage(Exception exception, CancellationToken callerToken) => exception switch
    {
        AmazonServiceException service => (int)service.StatusCode is 0 or >= 500
                                          || service.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden
                                          || (service.ErrorCode is { } code && UnavailableCodes.Contains(code))
                                          || service.InnerException is HttpRequestException or IOException or SocketException,
        AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException => true,

        // The client's own timeout ends a call with a cancellation the caller did not ask for.
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };
}
