using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store;

namespace Notify.Bench.Aws;

/// <summary>
/// The Metadata library in this process, composed by <c>AddNotifyMetadata</c> as a Notify process
/// composes it, against the deployment's DynamoDB table and Redis nodes.
/// </summary>
internal sealed class MetadataHost : IAsyncDisposable
{
    private readonly IHost _host;

    private MetadataHost(IHost host)
    {
        _host = host;
        Store = host.Services.GetRequiredService<IMetadataStore>();
    }

    public IMetadataStore Store { get; }

    /// <param name="inProcessTier">The Frontend's composition (in-process cache in front of the ring) or the Sender's (the ring alone).</param>
    /// <param name="ring">Without the ring, an Aws-mode store without an in-process tier reads DynamoDB on every lookup.</param>
    public static async Task<MetadataHost> StartAsync(IReadOnlyDictionary<string, string?> settings, bool inProcessTier, bool ring, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>(settings);
        if (!ring)
        {
            configuration.Remove("Notify:Redis:Nodes");
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        // The AWS SDK reads its credentials from the environment, as in the Notify processes.
        foreach (var variable in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY" })
        {
            Environment.SetEnvironmentVariable(variable, settings[variable]);
        }

        // Warnings (a Redis node marked down, a DynamoDB retry) explain a slow lookup: they go to the console.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole();
        builder.AddNotifyMetadata(inProcessTier);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new MetadataHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
