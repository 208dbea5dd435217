using Polly;
using Polly.Retry;

namespace Notify.Shared.Resilience;

/// <summary>
/// Builds every retry pipeline in Notify (webhooks, email, SMS, SQS batch entries SQS failed on its side) the same way: an outer retry on Polly's
/// own exponential backoff with jitter (<see cref="DelayBackoffType.Exponential"/>, <c>UseJitter</c>,
/// capped at MaxDelay), around an inner per-attempt timeout. When a failed result carries the server's
/// <c>Retry-After</c>, that wait replaces Polly's, capped at MaxDelay too, since Polly leaves what a
/// <c>DelayGenerator</c> returns uncapped. Time comes from the injected <see cref="TimeProvider"/>, so
/// tests move a fake clock instead of sleeping.
/// </summary>
/// <remarks>
/// Polly's jitter is its "decorrelated jitter V2": the n-th wait (from 0) is random in
/// [0, BaseDelay·2ⁿ⁺¹) for n &lt; 2 and [0, BaseDelay·(2ⁿ⁺¹ − 2ⁿ⁻¹)) after, with medians near BaseDelay,
/// BaseDelay, 2·BaseDelay, 4·BaseDelay… The spread keeps deliveries that failed together from retrying together.
/// A call whose context carries a <see cref="RetryPlan"/> follows the plan instead: whether to retry and how long
/// to wait are the plan's, and MaxAttempts does not apply (a plan makes at most <see cref="PlanRetryLimit"/> retries).
/// </remarks>
public static class RetryPipeline
{
    /// <summary>The most retries one call following a <see cref="RetryPlan"/> makes.</summary>
    public const int PlanRetryLimit = 50;

    public static ResiliencePipeline<T> Build<T>(RetryPipelineOptions<T> options, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        var builder = new ResiliencePipelineBuilder<T> { Name = options.Name, TimeProvider = timeProvider };
        builder.AddRetry(RetryStrategy(options));

        if (options.AttemptTimeout is { } attemptTimeout)
        {
            builder.AddTimeout(attemptTimeout);
        }

        return builder.Build();
    }

    private static RetryStrategyOptions<T> RetryStrategy<T>(RetryPipelineOptions<T> options)
    {
        var shouldRetry = options.ShouldRetry;
        var maxDelay = options.MaxDelay;
        var maxAttempts = options.MaxAttempts;
        var retryAfter = options.RetryAfter ?? (static _ => null);
        TimeSpan? RetryAfterOf(Outcome<T> outcome) => outcome.Exception is null ? retryAfter(outcome.Result!) : null;

        return new RetryStrategyOptions<T>
        {
            MaxRetryAttempts = Math.Max(maxAttempts - 1, PlanRetryLimit),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.BaseDelay,
            MaxDelay = maxDelay,
            ShouldHandle = args => ValueTask.FromResult(
                shouldRetry(args.Outcome)
                && (RetryPlan.Of(args.Context) is { } plan
                    ? plan.InProcessWait(plan.FirstAttempt + args.AttemptNumber, RetryAfterOf(args.Outcome)) is not null
                    : args.AttemptNumber + 1 < maxAttempts)),

            // null means "no Retry-After": Polly then uses its own backoff for this retry.
            DelayGenerator = args => ValueTask.FromResult(
                RetryPlan.Of(args.Context) is { } plan
                    ? plan.InProcessWait(plan.FirstAttempt + args.AttemptNumber, RetryAfterOf(args.Outcome))
                    : RetryAfterOf(args.Outcome) is { } wait ? (TimeSpan?)(wait < maxDelay ? wait : maxDelay) : null),
            OnRetry = options.OnRetry,
        };
    }
}
