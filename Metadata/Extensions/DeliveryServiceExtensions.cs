using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.DynamoDb;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Deliveries.FanOut;
using Notify.Metadata.Deliveries.Pacing;
using Notify.Metadata.Retention;
using Notify.Metadata.Store.DynamoDb;
using Notify.Shared.Configuration;
using Notify.Shared.Dependencies;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;

namespace Notify.Metadata.Extensions;

public static class DeliveryServiceExtensions
{
    /// <summary>
    /// Registers the delivery store chosen by <c>Notify:Mode</c> (<c>deliveries.db</c> in the data directory, or
    /// the DynamoDB table <c>{prefix}deliveries</c>, checked and created at start like the metadata table) as
    /// <see cref="IDeliveryStore"/>, and in the same place the pace of paced subscriptions (<see cref="IPaceStore"/>), large
    /// fan-outs' progress (<see cref="IFanOutProgress"/>) and the messages topics keep for replay (<see cref="IRetainedMessages"/>),
    /// all with outages as <see cref="DependencyUnavailableException"/>;
    /// <see cref="DeliveryOptions"/> (<c>Notify:Delivery</c>, validated at start); the in-memory
    /// <see cref="DeliveryCounters"/> and the service that flushes them; and the sweep of expired records.
    /// Safe to call twice (a Frontend and an in-process Sender in one process): the first call decides.
    /// </summary>
    public static IHostApplicationBuilder AddNotifyDeliveryStore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddNotifyOptions();
        services.AddOptions<DeliveryOptions>()
            .BindConfiguration(DeliveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(StoreAvailability.Available());

        if (NotifyOptions.ModeIn(builder.Configuration) == NotifyMode.Aws)
        {
            AddDynamoDbStore(services);
        }
        else
        {
            services.AddNotifyEncryption();
            services.TryAddSingleton(sp => new SqliteDeliveryStore(
                DeliveriesFile(sp), sp.GetRequiredService<PayloadCipher>(), sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IDeliveryStore>(sp => new GuardedDeliveryStore(sp.GetRequiredService<SqliteDeliveryStore>(), DependencyGuard.DataFiles));
            services.TryAddSingleton<IPaceStore>(sp => new GuardedPaceStore(
                new SqlitePaceStore(DeliveriesFile(sp), sp.GetRequiredService<TimeProvider>()), DependencyGuard.DataFiles));
            services.TryAddSingleton<IFanOutProgress>(sp => new GuardedFanOutProgress(
                new SqliteFanOutProgress(DeliveriesFile(sp), sp.GetRequiredService<TimeProvider>()), DependencyGuard.DataFiles));
            services.TryAddSingleton<IRetainedMessages>(sp => new GuardedRetainedMessages(
                new SqliteRetainedMessages(DeliveriesFile(sp), sp.GetRequiredService<PayloadCipher>(), sp.GetRequiredService<TimeProvider>()),
                DependencyGuard.DataFiles));
        }

        services.TryAddSingleton<DeliveryCounters>();

        // AddHostedService adds each type once, however often this runs.
        services.AddHostedService<DeliveryCountersFlusher>();
        services.AddHostedService<DeliveryExpirySweeper>();
        return builder;
    }

    private static void AddDynamoDbStore(IServiceCollection services)
    {
        var first = !services.Any(d => d.ServiceType == typeof(DynamoDbDeliveryStore));
        services.AddNotifyAwsOptions();
        services.TryAddSingleton<IAmazonDynamoDB>(sp => DynamoDbClientFactory.Create(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        services.TryAddSingleton<DynamoDbDeliveryStore>();
        services.TryAddSingleton<IDeliveryStore>(sp => new GuardedDeliveryStore(sp.GetRequiredService<DynamoDbDeliveryStore>(), DependencyGuard.DeliveriesTable));
        services.TryAddSingleton<IPaceStore>(sp => new GuardedPaceStore(
            new DynamoDbPaceStore(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsOptions>>(), sp.GetRequiredService<TimeProvider>()),
            DependencyGuard.DeliveriesTable));
        services.TryAddSingleton<IFanOutProgress>(sp => new GuardedFanOutProgress(
            new DynamoDbFanOutProgress(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsOptions>>(), sp.GetRequiredService<TimeProvider>()),
            DependencyGuard.DeliveriesTable));
        services.TryAddSingleton<IRetainedMessages>(sp => new GuardedRetainedMessages(
            new DynamoDbRetainedMessages(sp.GetRequiredService<IAmazonDynamoDB>(), sp.GetRequiredService<IOptions<AwsOptions>>(), sp.GetRequiredService<TimeProvider>()),
            DependencyGuard.DeliveriesTable));
        if (first)
        {
            // Checked (and created with Notify:Aws:CreateResources) at start with the metadata table.
            services.AddSingleton(sp => DeliveriesTable.For(sp.GetRequiredService<IOptions<AwsOptions>>().Value));
        }

        services.TryAddSingleton<DynamoDbTables>();
        services.AddHostedService<DynamoDbStartup>();
    }

    private static string DeliveriesFile(IServiceProvider services) =>
        Path.Combine(services.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), EmbeddedStoreFiles.Deliveries);
}
