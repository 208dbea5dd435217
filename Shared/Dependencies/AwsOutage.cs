using System.Net.Sockets;
using Amazon.Runtime;

namespace Notify.Shared.Dependencies;

/// <summary>
/// Which exceptions of an AWS SDK client (SQS, DynamoDB) mean the service is unavailable to Notify, after
/// the client's own retries: no connection, a timeout, throttling, a 5xx, refused credentials or a missing
/// resource. Not an outage: a request the service calls malformed (a defect in Notify), or a cancellation
/// the caller asked for.
/// </summary>
internal static class AwsOutage
{
    // Codes that blame the request itself; retrying it later cannot help, and it is Notify's bug.
    private static readonly HashSet<string> RequestFaults = new(StringComparer.Ordinal)
    {
        "ValidationException",
        "SerializationException",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "MissingParameter",
        "MissingRequiredParameterException",
        "InvalidMessageContents",
    };

    public static bool IsOutage(Exception exception, CancellationToken callerToken) => exception switch
    {
        AmazonServiceException service => service.ErrorCode is null || !RequestFaults.Contains(service.ErrorCode),
        AmazonClientException or HttpRequestException or IOException or SocketException or TimeoutException => true,

        // The client's own timeout ends a call with a cancellation the caller did not ask for.
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };
}
