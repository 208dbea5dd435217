using Microsoft.AspNetCore.Diagnostics;
using Notify.Frontend.Dedup;
using Notify.Metadata.Store;
using Notify.Shared.Dependencies;

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
        if (exception is InvalidCursorException cursor)
        {
            exception = InvalidRequestException.For("cursor", cursor.Message);
        }

        if (exception is InvalidRequestException invalid)
        {
            Log.Rejected(logger, StatusCodes.Status400BadRequest, context.Request.Method, context.GetEndpoint()?.DisplayName, "invalid request body");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(invalid.Errors.ToDictionary())
                {
                    Status = StatusCodes.Status400BadRequest,
                    Detail = invalid.Errors.Detail,
                },
            });
        }

        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, Describe(bad)),
            UnsupportedMediaTypeException unsupported => (StatusCodes.Status415UnsupportedMediaType, unsupported.Message),
            TopicNotFoundException missing => (StatusCodes.Status404NotFound, $"Topic '{missing.Topic}' does not exist; create it with POST /v1/topics."),
            DedupUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, unavailable.Message),
            DedupPendingException pending => (StatusCodes.Status409Conflict, pending.Message),

            // What Notify stands on (the queue, the metadata database, the data files) failed past its
            // client's own retries: callers and load balancers back off and retry rather than see a bug.
            DependencyUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable,
                $"Notify cannot reach {unavailable.Dependency} right now. Retry in a moment; a publish retried with the same dedupId or Idempotency-Key is never delivered twice."),
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
            // The Redis ring logs its own (rate-limited) failures; the others are logged here, with their
            // cause but without the request's content.
            Log.DependencyFailed(logger, context.Request.Method, context.GetEndpoint()?.DisplayName, (exception.InnerException ?? exception).GetType().Name, exception.Message, context.TraceIdentifier);
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

    /// <summary>
    /// The framework's own refusals (a body over the size limit, a malformed request). Its messages can
    /// name .NET types and parameters, so they are never passed on: each status gets a sentence of its own.
    /// </summary>
    private static string Describe(BadHttpRequestException bad) => bad.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => ProblemTitles.TooLargeDetail,
        StatusCodes.Status408RequestTimeout => "The request body did not arrive in time; send it again.",
        _ => "The request could not be read; check it against the API description at /openapi/v1.json.",
    };

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
