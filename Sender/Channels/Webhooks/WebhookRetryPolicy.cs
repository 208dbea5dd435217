using Notify.Shared.Webhooks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// The resilience pipeline around one webhook delivery: an outer retry (exponential backoff with jitter,
/// or the endpoint's Retry-After, never longer than MaxDelay) around an inner per-attempt timeout.
/// Built once; time comes from the injected <see cref="TimeProvider"/>, so tests move a manual clock.
/// </summary>
internal static class WebhookRetryPolicy
{
    public static ResiliencePipeline<WebhookAttempt> Build(
        WebhookOptions options,
        TimeProvider timeProvider,
        Func<OnRetryArguments<WebhookAttempt>, ValueTask>? onRetry)
    {
        var builder = new ResiliencePipelineBuilder<WebhookAttempt> { TimeProvider = timeProvider };
        if (options.MaxAttempts > 1)
        {
            var baseDelay = options.BaseDelay;
            var maxDelay = options.MaxDelay;
            builder.AddRetry(new RetryStrategyOptions<WebhookAttempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    DelayFor(args.Outcome, args.AttemptNumber, baseDelay, maxDelay)),
                OnRetry = onRetry,
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    /// <summary>
    /// Timeouts, connection errors and transient statuses are retried. A refused address is a result,
    /// not an exception, so it is never retried; nor is a cancellation from the caller.
    /// </summary>
    public static bool ShouldRetry(Outcome<WebhookAttempt> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => true,
        { Exception: HttpRequestException } => true,
        { Exception: not null } => false,
        { Result: var attempt } => attempt.IsTransientFailure,
    };

    /// <param name="retry">0 for the first retry.</param>
    public static TimeSpan DelayFor(Outcome<WebhookAttempt> outcome, int retry, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (outcome.Exception is null && outcome.Result.RetryAfter is { } retryAfter)
        {
            return retryAfter < maxDelay ? retryAfter : maxDelay;
        }

        return RetryBackoff.Delay(retry, baseDelay, maxDelay, Random.Shared.NextDouble());
    }
}
