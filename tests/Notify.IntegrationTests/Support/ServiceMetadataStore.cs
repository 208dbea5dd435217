using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// The metadata store of a service under test, opened by the test as another process of the deployment
/// would (the same settings: its SQLite file, or its DynamoDB table behind the Redis ring): for state that
/// only a Sender writes in production, such as a subscription disabled after its endpoint answered 410.
/// </summary>
public sealed class ServiceMetadataStore : IDisposable
{
    private readonly IHost _host;

    private ServiceMetadataStore(IHost host) => _host = host;

    public IMetadataStore Store => _host.Services.GetRequiredService<IMetadataStore>();

    public static ServiceMetadataStore Open(NotifyService service) => Open(service.Settings, service.Deployment);

    /// <summary>The store of the deployment whose processes run with <paramref name="settings"/> (a cluster's).</summary>
    public static ServiceMetadataStore Open(IReadOnlyDictionary<string, string?> settings, Deployment deployment)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (deployment == Deployment.Aws)
        {
            // The processes take the local servers' credentials from their environment; this one is the
            // test's own process, so its client gets them directly (the registration below keeps it).
            builder.Services.AddSingleton<IAmazonDynamoDB>(new AmazonDynamoDBClient(
                new BasicAWSCredentials(settings["AWS_ACCESS_KEY_ID"], settings["AWS_SECRET_ACCESS_KEY"]),
                new AmazonDynamoDBConfig { ServiceURL = settings["Notify:Aws:DynamoDbServiceUrl"], AuthenticationRegion = settings["Notify:Aws:Region"] }));
        }

        // As a standalone Sender: no in-process tier, so what it writes is what the ring and the store hold.
        builder.AddNotifyMetadata(inProcessTier: false);
        return new ServiceMetadataStore(builder.Build());
    }

    public void Dispose() => _host.Dispose();
}
