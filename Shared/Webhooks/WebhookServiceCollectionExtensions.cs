using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Notify.Shared.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="WebhookOptions"/> and resolves an unset
    /// <see cref="WebhookOptions.AllowPrivateNetworks"/> once, here: true in the Development environment,
    /// false elsewhere. The Frontend (subscribe-time check) and the Sender (connect-time check) both call
    /// this, so they always agree; after it, the value is never null.
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
                options.AllowPrivateNetworks ??= environment.IsDevelopment());

        return services;
    }

    private sealed class WebhookOptionsMarker;
}
