using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Notify.Frontend.Dedup;
using Notify.Metadata.Store;

namespace Notify.Frontend.Errors;

/// <summary>
/// Turns exceptions into problem answers: what the caller got wrong becomes a 4xx with a detail to act
/// on; anything else is logged with its trace id and answered 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Describe(context, bad)),
            InvalidCursorException cursor => (StatusCodes.Status400BadRequest, cursor.Message),
            TopicNotFoundException missing => (StatusCodes.Status404NotFound, $"Topic '{missing.Topic}' does not exist; create it with POST /v1/topics."),
            DedupUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, unavailable.Message),
            DedupPendingException pending => (StatusCodes.Status409Conflict, pending.Message),
            _ when DependencyFailure.TryName(exception, out var dependency) => (StatusCodes.Status503ServiceUnavailable,
                $"Notify cannot reach {dependency} right now. Retry in a moment; a publish retried with the same dedupId or Idempotency-Key is never delivered twice."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError,
                $"The service failed to handle this request. Nothing you sent was at fault; retry later, and quote trace id {context.TraceIdentifier} if it persists."),
        };

        if (status is StatusCodes.Status503ServiceUnavailable or StatusCodes.Status409Conflict)
        {
            // Both are worth asking again shortly: the dependency may be back, the pending publish settled.
            context.Response.Headers.RetryAfter = "1";
        }

        if (status == StatusCodes.Status503ServiceUnavailable && exception is not DedupUnavailableException)
        {
            // The Redis ring logs its own (rate-limited) failures; an AWS failure is logged here, with its
            // cause but without the request's content.
            Log.DependencyFailed(logger, context.Request.Method, context.GetEndpoint()?.DisplayName, exception.GetType().Name, exception.Message, context.TraceIdentifier);
        }
        else if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            Log.Unhandled(logger, exception, context.Request.Method, context.GetEndpoint()?.DisplayName, context.TraceIdentifier);
        }
        else
        {
            Log.Rejected(logger, status, context.Request.Method, context.GetEndpoint()?.DisplayName, exception.GetType().Name);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    private static string Describe(HttpContext context, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return Validation.UnpairedSurrogate.Describe(json) ?? $"The request body is not valid JSON for this call: {json.Message}";
        }

        if (bad.Message.Contains("was not provided from body", StringComparison.Ordinal)
            || (context.Request.ContentLength == 0 && bad.StatusCode == StatusCodes.Status400BadRequest))
        {
            return "The request body is empty; send a JSON object (Content-Type: application/json).";
        }

        return bad.Message;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled error in {Method} {Endpoint} (trace {TraceId})", EventName = "UnhandledError")]
        public static partial void Unhandled(ILogger logger, Exception exception, string method, string? endpoint, string traceId);

        [LoggerMessage(2, LogLevel.Debug, "Rejected {Method} {Endpoint} with {Status}: {Reason}", EventName = "RequestRejected")]
        public static partial void Rejected(ILogger logger, int status, string method, string? endpoint, string reason);

        [LoggerMessage(3, LogLevel.Warning, "{Method} {Endpoint} answered 503: a dependency failed with {ExceptionType}: {Reason} (trace {TraceId})", EventName = "DependencyFailed")]
        public static partial void DependencyFailed(ILogger logger, string method, string? endpoint, string exceptionType, string reason, string traceId);
    }
}
