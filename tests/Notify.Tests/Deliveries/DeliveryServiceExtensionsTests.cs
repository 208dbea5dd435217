using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Pacing;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries;

/// <summary>What AddNotifyDeliveryStore registers, by mode, and that a second call (Frontend and in-process Sender) changes nothing.</summary>
public sealed class DeliveryServiceExtensionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("Embedded")]
    [InlineData("Aws")]
    public void CalledTwice_RegistersOneStoreAndOneOfEachService(string mode)
    {
        var builder = Builder(mode);

        builder.AddNotifyDeliveryStore();
        builder.AddNotifyDeliveryStore();

        Assert.Single(builder.Services, d => d.ServiceType == typeof(IDeliveryStore));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IPaceStore));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(DeliveryCounters));
        Assert.Single(builder.Services, d => d.ImplementationType == typeof(DeliveryCountersFlusher));
        Assert.Single(builder.Services, d => d.ImplementationType == typeof(DeliveryExpirySweeper));
        using var services = builder.Services.BuildServiceProvider();
        Assert.IsType<GuardedDeliveryStore>(services.GetRequiredService<IDeliveryStore>());
        Assert.Same(services.GetRequiredService<IDeliveryStore>(), services.GetRequiredService<IDeliveryStore>());
        Assert.IsType<GuardedPaceStore>(services.GetRequiredService<IPaceStore>());
    }

    /// <summary>Whichever is registered first, the start-up check gets both tables, once each, and runs once.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AwsMode_ChecksTheDeliveriesTableWithTheMetadataTable(bool deliveriesFirst)
    {
        var builder = Builder("Aws");

        if (deliveriesFirst)
        {
            builder.AddNotifyDeliveryStore();
        }

        builder.AddNotifyMetadata();
        builder.AddNotifyDeliveryStore();
        builder.AddNotifyMetadata();

        Assert.Single(builder.Services, d => d.ImplementationType == typeof(DynamoDbStartup));
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(["n-deliveries", "n-metadata"], services.GetServices<DynamoDbTable>().Select(table => table.Name).Order());
    }

    [Fact]
    public void InvalidDeliveryOptions_FailValidation()
    {
        var builder = Builder("Embedded");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Notify:Delivery:Webhook:RetrySeconds"] = "5,soon" });

        builder.AddNotifyDeliveryStore();

        using var services = builder.Services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DeliveryOptions>>().Value);
    }

    private HostApplicationBuilder Builder(string mode)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Mode"] = mode,
            ["Notify:DataDirectory"] = _directory.Path,
            ["Notify:Aws:ResourcePrefix"] = "n-",
        });
        return builder;
    }

    public void Dispose() => _directory.Dispose();
}
