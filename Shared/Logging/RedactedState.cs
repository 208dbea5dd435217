using System.Collections;

namespace Notify.Shared.Logging;

/// <summary>
/// A log event's or scope's structured values after <see cref="Redact"/>, with the message made from
/// them: what formatters print (<see cref="ToString"/>) and what structured sinks read (the pairs).
/// </summary>
internal sealed class RedactedState(IReadOnlyList<KeyValuePair<string, object?>> values, string message)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message { get; } = message;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public int Count => values.Count;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}
