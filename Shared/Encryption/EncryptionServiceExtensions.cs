using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Shared.Encryption;

public static class EncryptionServiceExtensions
{
    /// <summary>
    /// Registers <see cref="EncryptionOptions"/> (validated at start) and the <see cref="PayloadCipher"/>
    /// the embedded store files encrypt message content with. The cipher, and so a generated key file,
    /// comes into being only when an embedded store first asks for it. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddNotifyEncryption(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(PayloadCipher)))
        {
            return services;
        }

        services.AddNotifyOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EncryptionOptions>, EncryptionOptionsValidation>());
        services.AddOptions<EncryptionOptions>()
            .BindConfiguration(EncryptionOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton(sp => EncryptionKeys.CipherFor(
            sp.GetRequiredService<IOptions<EncryptionOptions>>().Value,
            sp.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(),
            sp.GetRequiredService<ILogger<PayloadCipher>>()));
        return services;
    }
}
