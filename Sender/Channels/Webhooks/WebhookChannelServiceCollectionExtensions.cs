using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notify.Shared.Webhooks;

namespace Notify.Sender.Channels.Webhooks;

internal static class WebhookChannelServiceCollectionExtensions
{
    /// <summary>The webhook channel, its sender and the named HttpClient whose handler enforces the private-network guard and RequireHttps.</summary>
    public static IServiceCollection AddWebhookChannel(this IServiceCollection services)
    {
        services.AddNotifyWebhookOptions();
        services.AddHttpClient(WebhookSender.HttpClientName, client =>
            {
                // Each attempt has its own timeout in the retry pipeline; HttpClient's 100 s would only interfere.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(provider =>
                WebhookHttpHandler.Create(new WebhookConnector(provider.GetRequiredService<IOptions<WebhookOptions>>().Value)))

            // PooledConnectionLifetime re-resolves hosts; rotating handlers on top of it adds nothing.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The factory's default logging writes request URLs, whose paths may hold secrets.
            .RemoveAllLoggers();

        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<WebhookChannel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryChannel, WebhookChannel>(
            provider => provider.GetRequiredService<WebhookChannel>()));
        return services;
    }
}
