using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notify.Sender.Channels;
using Notify.Sender.Channels.Webhooks;
using Notify.Sender.Processing;
using Notify.Sender.Retrieval;
using Notify.Shared.Configuration;
using Notify.Shared.Links;

namespace Notify.Sender;

public static class SenderServiceExtensions
{
    // Time for the last hand-backs after the drain deadline has cancelled what was still running.
    private static readonly TimeSpan HandBackGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers the Sender's workers: retrievers, the message processor and the delivery channels.
    /// The host registers the storage they use, <c>IMessageQueue</c> and <c>IMetadataStore</c>.
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
        services.TryAddSingleton<PublicLinks>();

        services.AddWebhookChannel();
        services.TryAddSingleton<DeliveryChannels>();
        services.TryAddSingleton<MessageProcessor>();
        services.AddHostedService<RetrieverService>();

        // Shutdown must outlast the drain, or the host would abandon deliveries before handing them back.
        services.AddOptions<HostOptions>()
            .Configure<IOptions<SenderOptions>>((host, sender) =>
            {
                var needed = sender.Value.DrainTimeout + HandBackGrace;
                if (host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });

        return builder;
    }
}
