using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Notify.Tests.Sender.Support;

/// <summary>Collects formatted log lines, to check what is logged (and what never is).</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _seen = new();

    public IReadOnlyCollection<Entry> Entries => _entries.ToArray();

    public string AllText => string.Join('\n', _entries.Select(e => $"{e.Level} {e.EventName}: {e.Message} {e.Exception}"));

    /// <summary>Completes once an entry with this event name has been logged.</summary>
    public Task WhenLoggedAsync(string eventName) => Eventually.Within(Seen(eventName).Task);

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new LoggerFactory([this]));

    public ILogger CreateLogger(string categoryName) => new CollectingLogger(this);

    public void Dispose()
    {
    }

    private TaskCompletionSource Seen(string eventName) =>
        _seen.GetOrAdd(eventName, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public sealed record Entry(LogLevel Level, string? EventName, string Message, Exception? Exception);

    private sealed class CollectingLogger(LogCollector collector) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            collector._entries.Enqueue(new Entry(logLevel, eventId.Name, formatter(state, exception), exception));
            if (eventId.Name is { } name)
            {
                collector.Seen(name).TrySetResult();
            }
        }
    }
}
