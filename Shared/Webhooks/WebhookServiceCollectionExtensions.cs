using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Notify.Shared.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WebhookOptions"/> and resolves an unset
    /// <see cref="WebhookOptions.AllowPrivateNetworks"/> (true in the Development environment, false
    /// elsewhere) and <see cref="WebhookOptions.RequireHttps"/> (the opposite) once, here. The Frontend
    /// (subscribe-time checks) and the Sender (connect-time checks) both call this, so they always agree;
    /// after it, neither value is null.
    /// </summary>
    public static IServiceCollection AddNotifyWebhookOptions(this IServiceCollection services)
    {
        // A marker keeps a second call (Frontend and in-process Sender) from registering everything twice.
        if (services.Any(d => d.ServiceType == typeof(WebhookOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<WebhookOptionsMarker>();
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart()
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                options.AllowPrivateNetworks ??= environment.IsDevelopment();
                options.RequireHttps ??= !environment.IsDevelopment();
            });

        return services;
    }

    private sealed class WebhookOptionsMarker;
}
