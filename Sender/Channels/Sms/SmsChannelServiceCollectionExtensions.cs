using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Shared.Configuration;

namespace Notify.Sender.Channels.Sms;

internal static class SmsChannelServiceCollectionExtensions
{
    /// <summary>The SMS channel and the typed HttpClient under Twilio's SDK; it gives up (logged) while Twilio is not configured.</summary>
    public static IServiceCollection AddSmsChannel(this IServiceCollection services)
    {
        services.AddNotifyChannelOptions();
        services.TryAddTransient<TwilioCallHandler>();
        services.TryAddTransient<TwilioBaseAddressHandler>();
        services.AddHttpClient<TwilioMessageSender>(client =>
            {
                // Each attempt has its own timeout in the retry pipeline.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<TwilioCallHandler>()
            .AddHttpMessageHandler<TwilioBaseAddressHandler>()

            // The singleton channel keeps its client for the process's life, so the handler is never
            // rotated; PooledConnectionLifetime re-resolves Twilio's addresses instead. Twilio answers
            // the Messages API directly: a redirect is not followed (as the SDK's own client does).
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The factory's default logging writes request URLs, which hold the account SID.
            .RemoveAllLoggers();
        services.TryAddSingleton<SmsChannel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryChannel, SmsChannel>(
            provider => provider.GetRequiredService<SmsChannel>()));
        return services;
    }
}
