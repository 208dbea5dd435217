using Amazon.DynamoDBv2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Store;
using Notify.Metadata.Store.DynamoDb;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Configuration;
using Notify.Shared.Dependencies;
using Notify.Shared.Health;
using Notify.Shared.Redis;
using Notify.Shared.Storage;

namespace Notify.Metadata.Extensions;

public static class MetadataServiceExtensions
{
    /// <summary>
    /// Registers the metadata service: the store chosen by <c>Notify:Mode</c> (SQLite, or DynamoDB in Aws
    /// mode) behind the cache. The cache is the Redis ring when <c>Notify:Redis:Nodes</c> lists nodes,
    /// with this process's in-process cache in front when <paramref name="inProcessTier"/>; otherwise the
    /// in-process cache alone; and its readiness check (<c>/readyz</c>), which reads the store. Safe to call
    /// from both the Frontend and the Sender in one process: the first call decides.
    /// </summary>
    /// <param name="inProcessTier">
    /// Keep an in-process tier in front of the ring. The Frontend does, to spare the ring a round trip on
    /// every publish; a standalone Sender does not, so it sees a confirmation or an unsubscribe written by
    /// a Frontend as soon as the ring has it, not a TTL later.
    /// </param>
    public static IHostApplicationBuilder AddNotifyMetadata(this IHostApplicationBuilder builder, bool inProcessTier = true)
    {
        var services = builder.Services;
        services.AddNotifyOptions();
        services.AddOptions<MetadataCacheOptions>()
            .BindConfiguration(MetadataCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var mode = NotifyOptions.ModeIn(builder.Configuration);
        AddCache(builder, mode, inProcessTier);
        if (mode == NotifyMode.Aws)
        {
            AddDynamoDbStore(services);
        }
        else
        {
            services.TryAddSingleton(sp => new SqliteMetadataStore(
                Path.Combine(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), EmbeddedStoreFiles.Metadata),
                sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IMetadataStore>(sp => new CachedMetadataStore(
                new GuardedMetadataStore(sp.GetRequiredService<SqliteMetadataStore>(), DependencyGuard.DataFiles),
                sp.GetRequiredService<IMetadataCache>()));
        }

        services.AddReadinessCheck("metadata", sp => new MetadataHealthCheck(sp.GetRequiredService<IMetadataStore>()));
        return builder;
    }

    private static void AddCache(IHostApplicationBuilder builder, NotifyMode mode, bool inProcessTier)
    {
        var services = builder.Services;
        services.TryAddSingleton<InProcessMetadataCache>();
        if (!RedisOptions.RingIn(builder.Configuration))
        {
            // Without a shared tier, a standalone Sender in Aws mode reads DynamoDB directly rather than
            // serve subscriber lists up to a TTL old. Embedded mode keeps its in-process cache either way.
            services.TryAddSingleton<IMetadataCache>(sp => mode == NotifyMode.Aws && !inProcessTier
                ? NoMetadataCache.Instance
                : sp.GetRequiredService<InProcessMetadataCache>());
            return;
        }

        services.AddNotifyRedisRing();
        services.TryAddSingleton<RedisRingCache>();
        if (inProcessTier)
        {
            services.TryAddSingleton<IMetadataCache>(sp => new TieredMetadataCache(
                sp.GetRequiredService<InProcessMetadataCache>(),
                sp.GetRequiredService<RedisRingCache>()));
        }
        else
        {
            services.TryAddSingleton<IMetadataCache>(sp => sp.GetRequiredService<RedisRingCache>());
        }
    }

    private static void AddDynamoDbStore(IServiceCollection services)
    {
        var first = !services.Any(d => d.ServiceType == typeof(DynamoDbMetadataStore));
        services.AddNotifyAwsOptions();
        services.TryAddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        services.TryAddSingleton<DynamoDbTables>();
        services.TryAddSingleton<DynamoDbMetadataStore>();
        services.TryAddSingleton<IMetadataStore>(sp => new CachedMetadataStore(
            new GuardedMetadataStore(sp.GetRequiredService<DynamoDbMetadataStore>(), DependencyGuard.DynamoDb),
            sp.GetRequiredService<IMetadataCache>()));

        // Before the server takes calls, the tables exist (or the start stops naming the missing one). The
        // delivery store registers its table and this start-up check too, before or after this.
        if (first)
        {
            services.AddSingleton(sp => TableDefinitions.Metadata(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        }

        services.AddHostedService<DynamoDbStartup>();
    }
}
