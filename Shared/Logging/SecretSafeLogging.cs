using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Notify.Shared.Logging;

public static class SecretSafeLogging
{
    /// <summary>
    /// Every logger of the process, Notify's and the framework's alike, passes its events through
    /// <see cref="Redact"/>: no query string, URL path or user info, email address or phone number reaches
    /// a log, whatever levels the configuration sets.
    /// </summary>
    /// <remarks>
    /// Log levels cannot promise this: ASP.NET Core's request lines ("Request starting … {QueryString}")
    /// are Information, a content root without appsettings.json leaves them on, and a user chasing a
    /// problem sets categories to Debug or Trace. Filter rules cannot either, since a more specific rule
    /// (a provider's own <c>Logging:Console:LogLevel</c>) always wins over one added in code. Wrapping
    /// each provider would hide its type from those provider rules. So the logger factory itself is
    /// wrapped: it is the one door every ILogger of the host comes through, and the providers and their
    /// configuration stay as they are. The events are kept (a request line keeps its method, path and
    /// status) with the secret parts replaced.
    /// </remarks>
    public static ILoggingBuilder AddSecretSafeLogging(this ILoggingBuilder logging)
    {
        logging.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new SecretSafeLoggerFactory(new LoggerFactory(
            provider.GetServices<ILoggerProvider>(),
            provider.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            provider.GetService<IOptions<LoggerFactoryOptions>>(),
            provider.GetService<IExternalScopeProvider>()))));
        return logging;
    }
}
