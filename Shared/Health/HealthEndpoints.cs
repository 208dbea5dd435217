using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notify.Shared.Health;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/healthz</c>: the process is up (runs no check). <c>/readyz</c>: the store and the queue answer
    /// (503 otherwise, with a line per check that failed). Neither needs a key, so load balancers can probe
    /// them, and neither returns data: no queue depth, no path, no exception text (the log has those).
    /// </summary>
    public static IEndpointRouteBuilder MapNotifyHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadinessChecks.Tag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append(": ")
                .Append(entry.Exception is null ? entry.Description : "did not answer (the log says why)");
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.Append('\n').ToString(), context.RequestAborted);
    }
}
