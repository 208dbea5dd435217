using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Cache;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using Notify.Shared.Configuration;

namespace Notify.Metadata.Extensions;

public static class MetadataServiceExtensions
{
    /// <summary>
    /// Registers the metadata service: the store chosen by <c>Notify:Mode</c> behind the cache.
    /// Safe to call from both the Frontend and the Sender in one process.
    /// </summary>
    public static IHostApplicationBuilder AddNotifyMetadata(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifyOptions();
        builder.Services.AddOptions<MetadataCacheOptions>()
            .BindConfiguration(MetadataCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IMetadataCache, InProcessMetadataCache>();
        builder.Services.TryAddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<NotifyOptions>>().Value;
            return new SqliteMetadataStore(Path.Combine(options.EnsureDataDirectory(), "metadata.db"));
        });
        builder.Services.TryAddSingleton<IMetadataStore>(services => new CachedMetadataStore(
            services.GetRequiredService<SqliteMetadataStore>(),
            services.GetRequiredService<IMetadataCache>()));
        return builder;
    }
}
