using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Storage;
using OpenTelemetry.Metrics;

namespace Notify.Shared.Metrics;

public static class MetricsServiceExtensions
{
    /// <summary>The meter on which .NET publishes its runtime metrics (<c>dotnet.gc.*</c>, <c>dotnet.thread_pool.*</c>, <c>dotnet.process.*</c>).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// <see cref="NotifyMetrics"/> for the code that records, and, unless <c>Notify:Metrics:Enabled</c> is
    /// false, OpenTelemetry collecting the <c>Notify</c> meter, the runtime's, ASP.NET Core's and HttpClient's metrics for
    /// the Prometheus exporter, plus the <see cref="QueueDepthSampler"/>. Call once per process; pair with
    /// <see cref="MapNotifyMetrics"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotifyMetrics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName);
        services.AddNotifyMetricsInstruments();

        var options = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled)
        {
            // Instruments nobody listens to cost a flag check per record; the sampler would query the queue for nobody.
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(StoreAvailability.Available());
        services.AddHostedService<QueueDepthSampler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(NotifyMetrics.MeterName)
            // The runtime's own meter (.NET 9+): GC, allocations, thread pool, CPU time, read only when scraped.
            .AddMeter(RuntimeMeterName)
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Registers <see cref="NotifyMetrics"/> alone (once, however often called), for hosts and tests that
    /// record without exporting; <see cref="AddNotifyMetrics"/> includes it.
    /// </summary>
    public static IServiceCollection AddNotifyMetricsInstruments(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<NotifyMetrics>();
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus text format when metrics are enabled (404 otherwise). It needs no
    /// key, like the health endpoints, so a scraper needs no secret; it is not part of the API, so the
    /// OpenAPI document leaves it out.
    /// </summary>
    public static IEndpointRouteBuilder MapNotifyMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            app.MapPrometheusScrapingEndpoint().AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }
}
