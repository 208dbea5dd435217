namespace Notify.Shared.Redis;

/// <summary>
/// Lets one log entry through per interval and counts the others, so a flapping node cannot flood the
/// log while the count still shows how often it happened.
/// </summary>
internal sealed class LogThrottle(TimeProvider clock, TimeSpan interval)
{
    private readonly Lock _gate = new();
    private long? _lastLogged;
    private int _suppressed;

    /// <returns>True when this entry may be logged; <paramref name="suppressed"/> counts those held back since the last one.</returns>
    public bool TryEnter(out int suppressed)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            if (_lastLogged is { } last && clock.GetElapsedTime(last, now) < interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            _lastLogged = now;
            suppressed = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
