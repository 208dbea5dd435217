using Microsoft.Extensions.DependencyInjection;

namespace Notify.Metadata.Expiry;

public static class ExpiryServiceExtensions
{
    /// <summary>
    /// <see cref="SubscriptionOptions"/>, and the sweeper that deletes what expired. The Frontend runs the
    /// sweeper (it is the process that always has the store open); a standalone Sender needs neither.
    /// </summary>
    public static IServiceCollection AddSubscriptionExpiry(this IServiceCollection services)
    {
        services.AddOptions<SubscriptionOptions>()
            .BindConfiguration(SubscriptionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }
}
