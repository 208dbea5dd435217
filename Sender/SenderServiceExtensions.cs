using System.Globalization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store;
using Notify.Sender.Channels;
using Notify.Sender.Delivery;
using Notify.Sender.FanOut;
using Notify.Sender.Channels.Email;
using Notify.Sender.Channels.Sms;
using Notify.Sender.Channels.Webhooks;
using Notify.Sender.Processing;
using Notify.Sender.Retrieval;
using Notify.Shared.Configuration;
using Notify.Shared.Links;
using Notify.Shared.Metrics;
using Notify.Shared.Storage;

namespace Notify.Sender;

public static class SenderServiceExtensions
{
    // Time for the last hand-backs after the drain deadline has cancelled what was still running.
    private static readonly TimeSpan HandBackGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the Sender's workers: retrievers, the message processor and the delivery channels.
    /// The host registers the storage they use, <c>IMessageQueue</c> and <c>IMetadataStore</c>; the
    /// retrievers start once <see cref="StoreAvailability"/> says the store is there.
    /// </summary>
    public static IHostApplicationBuilder AddNotifySender(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SenderOptions>()
            .BindConfiguration(SenderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddNotifyOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.AddNotifyLinks();

        // Where deliveries' retries, dead letters, statuses and stats are kept.
        builder.AddNotifyDeliveryStore();
        services.AddNotifyMetricsInstruments();
        services.TryAddSingleton<DeliverySchedules>();
        services.TryAddSingleton<SubscriptionPacer>();
        services.TryAddSingleton<DeliveryWorkQueue>();
        services.TryAddSingleton<DeliveryLedger>();
        services.TryAddSingleton<SubscriptionDisabler>();
        services.TryAddSingleton(sp => new SubscriptionOutcomes(
            sp.GetRequiredService<IMetadataStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SubscriptionOutcomes>>()));
        services.TryAddSingleton<DeliveryRunner>();
        services.TryAddSingleton<FanOutSplitter>();

        services.AddWebhookChannel();
        services.AddEmailChannel();
        services.AddSmsChannel();
        services.TryAddSingleton<DeliveryChannels>();
        services.TryAddSingleton<MessageProcessor>();
        services.TryAddSingleton<RetrieverService>();
        services.TryAddSingleton(StoreAvailability.Available());
        services.AddHostedService<RetrieverStartup>();

        // Shutdown must outlast the drain, or the host would abandon deliveries before handing them back.
        // Read from configuration, not IOptions<SenderOptions>: the host builds HostOptions while it is
        // being built, and a bad setting should fail in ValidateOnStart with its name, not in here.
        services.AddOptions<HostOptions>()
            .Configure<IConfiguration>((host, configuration) =>
            {
                var configured = configuration.GetSection(SenderOptions.SectionName)[nameof(SenderOptions.DrainTimeout)];
                var drain = TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : new SenderOptions().DrainTimeout;
                var needed = drain + HandBackGrace;
                if (host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });

        return builder;
    }
}
