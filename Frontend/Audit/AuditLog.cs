using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;

namespace Notify.Frontend.Audit;

/// <summary>
/// The audit trail, in the log category <c>Notify.Audit</c> (shipping it is the log pipeline's job):
/// <list type="bullet">
/// <item>an <c>AuditEvent</c> for every call that may change state (POST, PUT, PATCH, DELETE under /v1)
/// and for every refusal anywhere (401, 403, 429): key id, action (the endpoint's name), target (the
/// call's path, which names its topic, subscription or message), outcome with the status, remote address
/// and time (ISO 8601, UTC);</item>
/// <item>an <c>ApiCall</c> line for every other /v1 call (a read): who read what and how long it took.
/// Reads stay a separate event so that the trail of changes and refusals can be kept or shipped on its
/// own, without the volume of reads.</item>
/// </list>
/// Never the query string (a confirm or unsubscribe token), the body, or the Authorization header: a
/// refused key is recorded as "anonymous".
/// </summary>
internal static partial class AuditLog
{
    public const string Category = "Notify.Audit";

    /// <summary>
    /// Outermost but for the response headers, so it records the status the client really gets, also
    /// when the exception handler turned a failure into a problem. The endpoint and path are read before
    /// the call, because the exception handler clears them; the caller after it, once authentication has run.
    /// </summary>
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var clock = app.ApplicationServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return app.Use(async (context, next) =>
        {
            var at = clock.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            var endpoint = context.GetEndpoint();
            var path = context.Request.Path;
            try
            {
                await next(context);
            }
            finally
            {
                Record(logger, context, endpoint, path, at, Stopwatch.GetElapsedTime(started));
            }
        });
    }

    private static void Record(ILogger logger, HttpContext context, Endpoint? endpoint, PathString path, DateTimeOffset at, TimeSpan elapsed)
    {
        // Both events are Information: when the category is off, nothing below (the time as text, the
        // caller's address, the key's claim) is worth computing.
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var status = context.Response.StatusCode;
        var refused = status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests;
        var api = path.StartsWithSegments("/v1");
        if (!refused && !api)
        {
            return;
        }

        var keyId = context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous";
        if (refused || ChangesState(context.Request.Method, endpoint))
        {
            Event(
                logger,
                keyId,
                ActionOf(endpoint, context.Request.Method),
                path.ToUriComponent(),
                OutcomeOf(status),
                status,
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            Call(logger, keyId, context.Request.Method, RouteOf(endpoint), status, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// The link pages confirm and unsubscribe on a GET (the links are followed from an inbox), so they are
    /// changes whatever their method.
    /// </summary>
    private static readonly HashSet<string> LinksThatChangeState = ["ConfirmSubscription", "Unsubscribe"];

    private static bool ChangesState(string method, Endpoint? endpoint) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method)
        || endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && LinksThatChangeState.Contains(name);

    /// <summary>The endpoint's name as the API documents it (its operationId), else the method and route.</summary>
    private static string ActionOf(Endpoint? endpoint, string method) =>
        endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? $"{method} {RouteOf(endpoint)}";

    internal static string OutcomeOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "denied",
        StatusCodes.Status429TooManyRequests => "throttled",
        < 400 => "success",
        _ => "failure",
    };

    /// <summary>The route template as the API documents it: a group's own route has no trailing slash (<c>/v1/topics</c>).</summary>
    private static string RouteOf(Endpoint? endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } template
            ? (template.Length > 1 ? template.TrimEnd('/') : template)
            : "(no route)";

    [LoggerMessage(1, LogLevel.Information, "{KeyId} {Method} {Route} -> {Status} in {ElapsedMs:F1} ms", EventName = "ApiCall")]
    private static partial void Call(ILogger logger, string keyId, string method, string route, int status, double elapsedMs);

    [LoggerMessage(2, LogLevel.Information, "{Action} {Target} by {KeyId} from {RemoteAddress} at {Time}: {Outcome} ({Status})", EventName = "AuditEvent")]
    private static partial void Event(ILogger logger, string keyId, string action, string target, string outcome, int status, string remoteAddress, string time);
}
