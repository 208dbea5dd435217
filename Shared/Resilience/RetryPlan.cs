using Polly;

namespace Notify.Shared.Resilience;

/// <summary>
/// How one call through a <see cref="RetryPipeline"/> retries, when the call's caller decides rather than the
/// pipeline's own settings: a delivery follows its subscription's retry schedule, makes in this process only
/// the retries that are due soon, and leaves the rest to be scheduled on the queue. A call without a plan
/// retries as the pipeline was built (MaxAttempts, exponential backoff).
/// </summary>
public abstract class RetryPlan
{
    internal static readonly ResiliencePropertyKey<RetryPlan> Key = new("Notify.RetryPlan");

    protected RetryPlan(int firstAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstAttempt, 1);
        FirstAttempt = firstAttempt;
    }

    /// <summary>The number of this call's first attempt: 1, or one more than the attempts made before (elsewhere).</summary>
    public int FirstAttempt { get; }

    /// <summary>
    /// The wait before another attempt in this call after attempt <paramref name="attempt"/> (its number among
    /// all attempts) failed transiently, given the server's <paramref name="retryAfter"/>; null ends the call there.
    /// </summary>
    public abstract TimeSpan? InProcessWait(int attempt, TimeSpan? retryAfter);

    /// <summary>
    /// Waits, when the call must, before its first request goes out (a paced subscription's turn). Channels
    /// call it once the request is ready, just before the pipeline, so nothing slow (composing the request,
    /// the first use of code in a process) lies between this wait and the wire. Outside the pipeline on
    /// purpose: the wait is not an attempt, and its failure (the pace's store unavailable) is not the
    /// endpoint's.
    /// </summary>
    public virtual Task WaitToSendAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Makes the pipeline follow this plan for the call that runs with <paramref name="context"/>.</summary>
    public void AttachTo(ResilienceContext context) => context.Properties.Set(Key, this);

    internal static RetryPlan? Of(ResilienceContext context) => context.Properties.TryGetValue(Key, out var plan) ? plan : null;
}
