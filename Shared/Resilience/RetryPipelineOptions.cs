using Polly;
using Polly.Retry;

namespace Notify.Shared.Resilience;

/// <summary>What one retry pipeline retries and how long it may wait; see <see cref="RetryPipeline"/>.</summary>
/// <typeparam name="T">What one attempt returns.</typeparam>
public sealed class RetryPipelineOptions<T>
{
    /// <summary>The pipeline's name in Polly's telemetry, e.g. <c>Notify.Webhooks</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Attempts in all, the first included; 1 builds no retry.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary>Polly's base delay: about the median wait of the first two retries; later medians double.</summary>
    public required TimeSpan BaseDelay { get; init; }

    /// <summary>No wait is longer than this, neither Polly's backoff nor a server's Retry-After.</summary>
    public required TimeSpan MaxDelay { get; init; }

    /// <summary>How long one attempt may take; null for no per-attempt timeout.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>
    /// Whether an attempt's outcome is worth another attempt. A timed-out attempt arrives here as a
    /// <see cref="Polly.Timeout.TimeoutRejectedException"/>; the caller's own cancellation should not be retried.
    /// </summary>
    public required Func<Outcome<T>, bool> ShouldRetry { get; init; }

    /// <summary>The wait the server asked for in a result (its <c>Retry-After</c>), or null when it did not say.</summary>
    public Func<T, TimeSpan?>? RetryAfter { get; init; }

    /// <summary>Called before each retry's wait, for logging; <see cref="OnRetryArguments{T}.RetryDelay"/> is the wait.</summary>
    public Func<OnRetryArguments<T>, ValueTask>? OnRetry { get; init; }
}
