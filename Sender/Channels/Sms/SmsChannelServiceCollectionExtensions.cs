using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Shared.Configuration;

namespace Notify.Sender.Channels.Sms;

internal static class SmsChannelServiceCollectionExtensions
{
    /// <summary>The SMS channel and Twilio's typed HttpClient; it gives up (logged) while Twilio is not configured.</summary>
    public static IServiceCollection AddSmsChannel(this IServiceCollection services)
    {
        services.AddNotifyChannelOptions();
        services.AddHttpClient<TwilioClient>(client =>
            {
                // Each attempt has its own timeout in the retry pipeline.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })

            // The singleton channel keeps its client for the process's life, so the handler is never
            // rotated; PooledConnectionLifetime re-resolves Twilio's addresses instead.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The factory's default logging writes request URLs, which hold the account SID.
            .RemoveAllLoggers();
        services.TryAddSingleton<SmsChannel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryChannel, SmsChannel>(
            provider => provider.GetRequiredService<SmsChannel>()));
        return services;
    }
}
