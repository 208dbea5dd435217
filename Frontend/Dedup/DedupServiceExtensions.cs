using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Dependencies;
using Notify.Shared.Redis;

namespace Notify.Frontend.Dedup;

internal static class DedupServiceExtensions
{
    /// <summary>
    /// Registers where dedup keys live: in Embedded mode a SQLite file in the data directory; in Aws mode
    /// the Redis ring node that owns each key when <c>Notify:Redis:Nodes</c> is set (every Frontend asks
    /// the same node, over the pool the metadata cache uses too), else the DynamoDB dedup table, which it
    /// registers for the start-up check. Call after <c>AddNotifyMetadata</c>, which registers the DynamoDB
    /// client and that check.
    /// </summary>
    public static IServiceCollection AddNotifyDedup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DedupOptions>().BindConfiguration(DedupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var mode = NotifyOptions.ModeIn(configuration);
        if (RedisOptions.RingIn(configuration))
        {
            services.AddNotifyRedisRing();
            services.AddSingleton<IDedupStore, RedisDedupStore>();
        }
        else if (mode == NotifyMode.Aws)
        {
            services.AddSingleton<DynamoDbDedupStore>();
            services.AddSingleton<IDedupStore>(sp => new GuardedDedupStore(sp.GetRequiredService<DynamoDbDedupStore>(), DependencyGuard.DedupTable));

            // Checked (and created with Notify:Aws:CreateResources) at start with the metadata table.
            services.AddSingleton(sp => DedupTable.For(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        }
        else
        {
            services.AddSingleton(sp => new SqliteDedupStore(
                Path.Combine(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), "dedup.db"),
                sp.GetRequiredService<IOptions<DedupOptions>>(),
                sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IDedupStore>(sp => new GuardedDedupStore(sp.GetRequiredService<SqliteDedupStore>(), DependencyGuard.DataFiles));
        }

        return services;
    }
}
