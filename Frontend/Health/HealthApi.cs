using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Notify.Frontend.Health;

public static class HealthApi
{
    internal const string ReadyTag = "ready";

    /// <summary>
    /// <c>/healthz</c>: the process is up (runs no check). <c>/readyz</c>: the store and the queue
    /// answer. Neither needs a key, so load balancers can probe them; neither returns data.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
