using Notify.Shared.Resilience;
using Notify.Shared.Webhooks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// What a webhook delivery retries, on the shared <see cref="RetryPipeline"/>: backoff with jitter or
/// the endpoint's Retry-After, never longer than MaxDelay, around a per-attempt timeout.
/// </summary>
internal static class WebhookRetryPolicy
{
    public static ResiliencePipeline<WebhookAttempt> Build(
        WebhookOptions options,
        TimeProvider timeProvider,
        Func<OnRetryArguments<WebhookAttempt>, ValueTask>? onRetry) =>
        RetryPipeline.Build(
            new RetryPipelineOptions<WebhookAttempt>
            {
                Name = "Notify.Webhooks",
                MaxAttempts = options.MaxAttempts,
                BaseDelay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                AttemptTimeout = options.AttemptTimeout,
                ShouldRetry = ShouldRetry,
                RetryAfter = static attempt => attempt.RetryAfter,
                OnRetry = onRetry,
            },
            timeProvider);

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
}
