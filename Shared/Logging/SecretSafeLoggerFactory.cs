using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Notify.Shared.Logging;

/// <summary>The host's logger factory with every logger it makes wrapped in a <see cref="SecretSafeLogger"/>.</summary>
internal sealed class SecretSafeLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, factory) => new SecretSafeLogger(factory.CreateLogger(name)), inner);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
