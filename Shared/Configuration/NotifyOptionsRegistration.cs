using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<NotifyOptions>, ResolveRelativePaths>());
        services.AddOptions<NotifyOptions>()
            .BindConfiguration(NotifyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Binds and validates <see cref="AwsOptions"/> once, for every part of Notify that runs in Aws mode
    /// (queue, metadata store).
    /// </summary>
    public static IServiceCollection AddNotifyAwsOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AwsMarker)))
        {
            return services;
        }

        services.AddSingleton<AwsMarker>();
        services.AddOptions<AwsOptions>()
            .BindConfiguration(AwsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Binds and validates <see cref="Email.EmailOptions"/> and <see cref="Sms.SmsOptions"/> once: the
    /// Frontend refuses subscriptions to a channel that is off, the Sender delivers through them.
    /// </summary>
    public static IServiceCollection AddNotifyChannelOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ChannelsMarker)))
        {
            return services;
        }

        services.AddSingleton<ChannelsMarker>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Email.EmailOptions>, ResolveRelativePaths>());
        services.AddOptions<Email.EmailOptions>()
            .BindConfiguration(Email.EmailOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Sms.SmsOptions>()
            .BindConfiguration(Sms.SmsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    private sealed class Marker;

    private sealed class ChannelsMarker;

    private sealed class AwsMarker;
}
