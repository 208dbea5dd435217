using System.Globalization;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// The waits before each retry of a delivery, after its first attempt: <c>5,300,1800</c> means four attempts,
/// the second 5 s after the first failed, the third 300 s after the second, the fourth 1800 s after the
/// third. An empty schedule means one attempt and no retry.
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>Retries a schedule may hold: 20, so at most 21 attempts.</summary>
    public const int MaxRetries = 20;

    /// <summary>The longest single wait: one day.</summary>
    public const int MaxWaitSeconds = 86_400;

    private readonly int[] _seconds;

    public RetrySchedule(IReadOnlyList<int> seconds)
    {
        if (Problem(seconds) is { } problem)
        {
            throw new ArgumentException(problem, nameof(seconds));
        }

        _seconds = [.. seconds];
    }

    public IReadOnlyList<int> Seconds => _seconds;

    /// <summary>Attempts in all, the first included.</summary>
    public int Attempts => _seconds.Length + 1;

    /// <summary>The wait after attempt <paramref name="attempt"/> (1-based) failed; null when it was the last.</summary>
    public TimeSpan? WaitAfter(int attempt) =>
        attempt >= 1 && attempt <= _seconds.Length ? TimeSpan.FromSeconds(_seconds[attempt - 1]) : null;

    /// <summary>What is wrong with <paramref name="seconds"/> as a schedule, in the API's terms; null when nothing.</summary>
    public static string? Problem(IReadOnlyList<int> seconds)
    {
        if (seconds.Count > MaxRetries)
        {
            return $"at most {MaxRetries} retries ({seconds.Count} given)";
        }

        for (var i = 0; i < seconds.Count; i++)
        {
            if (seconds[i] is < 0 or > MaxWaitSeconds)
            {
                return $"every wait is 0 to {MaxWaitSeconds} seconds ({seconds[i]} at position {i})";
            }
        }

        return null;
    }

    /// <summary>Parses a comma-separated list of whole seconds (a configuration value); empty text is no retry.</summary>
    public static bool TryParse(string? text, out RetrySchedule schedule, out string? problem)
    {
        schedule = null!;
        var parts = string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.TrimEntries);
        var seconds = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out seconds[i]))
            {
                problem = $"'{parts[i]}' is not a whole number of seconds";
                return false;
            }
        }

        problem = Problem(seconds);
        if (problem is not null)
        {
            return false;
        }

        schedule = new RetrySchedule(seconds);
        return true;
    }

    public override string ToString() => string.Join(',', _seconds);
}
