using Microsoft.Extensions.Logging;
namespace Notify.Shared.Logging;

/// <summary>Passes each event and scope on to the real logger after <see cref="LogRedaction"/>.</summary>
internal sealed class SecretSafeLogger(ILogger inner) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        state is IReadOnlyList<KeyValuePair<string, object?>> && LogRedaction.Of(state, null, static (s, _) => s.ToString() ?? string.Empty) is { } redacted
            ? inner.BeginScope(redacted)
            : inner.BeginScope(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // Source-generated log methods check first; calls that do not are cut short here, before any work.
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var safeException = LogRedaction.Of(exception);
        if (LogRedaction.Of(state, exception, formatter) is { } redacted)
        {
            inner.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.Message);
        }
        else if (!ReferenceEquals(safeException, exception))
        {
            inner.Log(logLevel, eventId, state, safeException, formatter);
        }
        else
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
