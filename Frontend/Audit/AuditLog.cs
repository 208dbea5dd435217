using System.Diagnostics;
using System.Security.Claims;

namespace Notify.Frontend.Audit;

/// <summary>
/// One line per API call: who (the key's short id), which operation, the answer and its time. The
/// route template is logged, never the query string, which may hold a confirm or unsubscribe token.
/// Shipping these lines is the log pipeline's job.
/// </summary>
internal static partial class AuditLog
{
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Notify.Audit");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                if (context.Request.Path.StartsWithSegments("/v1"))
                {
                    Call(
                        logger,
                        context.User.FindFirstValue(ClaimTypes.Name) ?? "anonymous",
                        context.Request.Method,
                        RouteOf(context),
                        context.Response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        });
    }

    /// <summary>The route template as the API documents it: a group's own route has no trailing slash (<c>/v1/topics</c>).</summary>
    internal static string RouteOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } template
            ? (template.Length > 1 ? template.TrimEnd('/') : template)
            : "(no route)";

    [LoggerMessage(1, LogLevel.Information, "{Caller} {Method} {Route} -> {Status} in {ElapsedMs:F1} ms", EventName = "ApiCall")]
    private static partial void Call(ILogger logger, string caller, string method, string route, int status, double elapsedMs);
}
