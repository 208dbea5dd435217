using Microsoft.Extensions.DependencyInjection.Extensions;
using Notify.Shared.Configuration;

namespace Notify.Sender.Channels.Email;

internal static class EmailChannelServiceCollectionExtensions
{
    /// <summary>The email channel; it gives up (logged) while <c>Notify:Email</c> names no SMTP host or pickup directory.</summary>
    public static IServiceCollection AddEmailChannel(this IServiceCollection services)
    {
        services.AddNotifyChannelOptions();
        services.TryAddSingleton<EmailComposer>();
        services.TryAddSingleton<PickupFolder>();
        services.TryAddSingleton<SmtpMailer>();
        services.TryAddSingleton<EmailChannel>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryChannel, EmailChannel>(
            provider => provider.GetRequiredService<EmailChannel>()));
        return services;
    }
}
