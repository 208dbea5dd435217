using Microsoft.Extensions.DependencyInjection;

namespace Notify.Shared.Configuration;

public static class NotifyOptionsRegistration
{
    /// <summary>
    /// Binds and validates <see cref="NotifyOptions"/> once, however many parts of Notify (queue,
    /// metadata, Sender) ask for it in one process.
    /// </summary>
    public static IServiceCollection AddNotifyOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return services;
        }

        services.AddSingleton<Marker>();
        services.AddOptions<NotifyOptions>()
            .BindConfiguration(NotifyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    private sealed class Marker;
}
