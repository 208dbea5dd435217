using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notify.Shared.Storage;

namespace Notify.Shared.Health;

public static class ReadinessChecks
{
    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string Tag = "ready";

    /// <summary>
    /// Adds a check that <c>/readyz</c> runs, once per name however often it is called. While the store is
    /// not there yet (<see cref="StoreAvailability"/>), the check is not even built, because building it
    /// would open the store's files, and readiness reports why instead.
    /// </summary>
    public static IServiceCollection AddReadinessCheck(this IServiceCollection services, string name, Func<IServiceProvider, IHealthCheck> create)
    {
        services.AddHealthChecks();
        services.TryAddSingleton(StoreAvailability.Available());
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.All(r => r.Name != name))
            {
                options.Registrations.Add(new HealthCheckRegistration(
                    name,
                    sp => sp.GetRequiredService<StoreAvailability>() is { IsAvailable: false } missing ? missing : create(sp),
                    HealthStatus.Unhealthy,
                    [Tag]));
            }
        });
        return services;
    }
}
