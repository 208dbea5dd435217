using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Extensions;
using Notify.Shared.Configuration;
using Notify.Shared.Dependencies;
using Notify.Shared.Storage;

namespace Notify.Metadata.Keys;

public static class ApiKeyServiceExtensions
{
    /// <summary>
    /// Registers <see cref="IApiKeyStore"/> in the metadata store of <c>Notify:Mode</c>: the metadata file, or the
    /// metadata table (checked and created at start with the rest of the metadata service), outages as
    /// <see cref="DependencyUnavailableException"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotifyApiKeyStore(this IHostApplicationBuilder builder)
    {
        builder.AddNotifyMetadata();
        if (NotifyOptions.ModeIn(builder.Configuration) == NotifyMode.Aws)
        {
            builder.Services.TryAddSingleton<IApiKeyStore>(sp => new GuardedApiKeyStore(
                new DynamoDbApiKeyStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsOptions>>()),
                DependencyGuard.DynamoDb));
        }
        else
        {
            builder.Services.TryAddSingleton<IApiKeyStore>(sp => new GuardedApiKeyStore(
                new SqliteApiKeyStore(Path.Combine(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), EmbeddedStoreFiles.Metadata)),
                DependencyGuard.DataFiles));
        }

        return builder;
    }
}
