using System.Net;

namespace Notify.Shared.Queue.Sqs;

/// <summary>
/// SQS answered an action with an error (<c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>), or something in front of
/// it answered with a status and no SQS error at all (a proxy, an overloaded load balancer).
/// </summary>
/// <remarks>The message names the action, the status and SQS's code and text; never a message body.</remarks>
internal class SqsException : Exception
{
    public SqsException(string action, HttpStatusCode statusCode, SqsError error, Exception? innerException = null)
        : base(Describe(action, statusCode, error), innerException)
    {
        Action = action;
        StatusCode = statusCode;
        Error = error;
    }

    /// <summary>The Query-protocol action that failed, e.g. <c>SendMessageBatch</c>.</summary>
    public string Action { get; }

    public HttpStatusCode StatusCode { get; }

    public SqsError Error { get; }

    /// <summary>SQS's error code, e.g. <c>AWS.SimpleQueueService.NonExistentQueue</c>.</summary>
    public string Code => Error.Code;

    /// <summary>Whether trying the same request again later can succeed (throttling, a 5xx).</summary>
    public bool IsTransient => SqsErrorCodes.IsTransient(StatusCode, Error.Code);

    private static string Describe(string action, HttpStatusCode statusCode, SqsError error)
    {
        var request = error.RequestId is null ? "" : $" (request id {error.RequestId})";
        return $"SQS {action} failed with {(int)statusCode} {error.Code}: {error.Message}{request}";
    }
}

/// <param name="Code">SQS's code, or <c>Http{status}</c> when the answer carried no SQS error.</param>
/// <param name="Message">SQS's own text for the error.</param>
/// <param name="SenderFault">True when SQS blames the request (<c>&lt;Type&gt;Sender&lt;/Type&gt;</c>).</param>
/// <param name="RequestId">SQS's request id, for AWS support.</param>
internal sealed record SqsError(string Code, string Message, bool SenderFault, string? RequestId);
