using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Notify.Shared.Redis;

public static class RedisServiceExtensions
{
    /// <summary>
    /// Registers the ring's <see cref="RedisNodePool"/>, one per process whoever asks for it (the metadata
    /// cache, the dedup store), so each node has one connection and one probe; and <c>Notify:Redis</c>,
    /// validated at start. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddNotifyRedisRing(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RedisNodePool)))
        {
            return services;
        }

        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisNodePool>();
        return services;
    }
}
