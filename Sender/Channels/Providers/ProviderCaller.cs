using Microsoft.Extensions.Logging;
using Notify.Shared.Configuration;
using Notify.Shared.Messages;
using Notify.Shared.Resilience;
using Polly;
using Polly.Timeout;

namespace Notify.Sender.Channels.Providers;

/// <summary>
/// Calls an email or SMS provider for one delivery: each attempt waits its turn at the channel's rate
/// limit, runs under a per-attempt timeout, and is retried while it fails transiently (exponential
/// backoff with jitter, or the provider's Retry-After, never longer than MaxDelay). A permanent refusal
/// ends the delivery at once. Built once per channel; time comes from the injected clock.
/// </summary>
internal sealed partial class ProviderCaller
{
    private readonly ResiliencePipeline<ProviderAttempt> _pipeline;
    private readonly ProviderRateLimiter _rate;
    private readonly TimeSpan _attemptTimeout;
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public ProviderCaller(string channel, ProviderChannelOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _channel = channel;
        _logger = logger;
        _timeProvider = timeProvider;
        _attemptTimeout = options.AttemptTimeout;
        _rate = new ProviderRateLimiter(options.MaxPerSecond, timeProvider);
        _pipeline = RetryPipeline.Build(
            new RetryPipelineOptions<ProviderAttempt>
            {
                Name = "Notify." + channel,
                MaxAttempts = options.MaxAttempts,
                BaseDelay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                AttemptTimeout = options.AttemptTimeout,
                ShouldRetry = static outcome => outcome switch
                {
                    { Exception: TimeoutRejectedException } => true,
                    { Exception: not null } => false,
                    { Result.Outcome: var result } => result == ProviderOutcome.Transient,
                },
                RetryAfter = static attempt => attempt.RetryAfter,
                OnRetry = args =>
                {
                    Log.Retrying(_logger, _channel, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            },
            timeProvider);
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until accepted, refused for good, or out of the attempts
    /// <paramref name="plan"/> allows in this call (the channel's MaxAttempts when null).
    /// </summary>
    /// <param name="attempt">One call; returns its classification and throws only when cancelled.</param>
    public async Task<DeliveryResult> CallAsync<TState>(
        Func<TState, CancellationToken, Task<ProviderAttempt>> attempt, TState state, RetryPlan? plan, CancellationToken cancellationToken)
    {
        if (plan is not null)
        {
            await plan.WaitToSendAsync(cancellationToken);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        plan?.AttachTo(context);
        var call = new Call<TState>(_rate, attempt, state, plan?.FirstAttempt ?? 1, _timeProvider, cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, call) =>
                {
                    // The rate limit is waited for inside the attempt, before the call, so every retry
                    // waits its turn too; the attempt's timeout runs from the attempt's start, wait included.
                    var number = call.Begin();
                    var startedAt = call.Clock.GetUtcNow();
                    try
                    {
                        await call.Rate.WaitAsync(context.CancellationToken);
                        var result = await call.Attempt(call.State, context.CancellationToken);
                        call.History.Add(DeliveryAttempt.Of(number, startedAt, result.Status));
                        return Outcome.FromResult(result);
                    }
                    catch (OperationCanceledException) when (!call.CallerToken.IsCancellationRequested)
                    {
                        // The attempt's own timeout: Polly turns it into a TimeoutRejectedException.
                        call.History.Add(DeliveryAttempt.Of(number, startedAt, "timed out"));
                        throw;
                    }
                },
                context,
                call);

            cancellationToken.ThrowIfCancellationRequested();
            var result = outcome switch
            {
                { Exception: TimeoutRejectedException } => DeliveryResult.GaveUp(call.Attempts, $"timed out after {_attemptTimeout.TotalSeconds:0.#}s", "timeout"),
                { Exception: { } exception } => throw exception,
                { Result: { Outcome: ProviderOutcome.Accepted } accepted } => DeliveryResult.Success(call.Attempts, accepted.Status),
                { Result: var failed } => DeliveryResult.GaveUp(call.Attempts, failed.Status, CodeOf(failed.Status), failed.Refusal) with
                {
                    Permanent = failed.Outcome == ProviderOutcome.Permanent,
                    RetryAfter = failed.RetryAfter,
                },
            };
            return result with { History = call.History };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <inheritdoc cref="CallAsync{TState}(Func{TState, CancellationToken, Task{ProviderAttempt}}, TState, RetryPlan?, CancellationToken)"/>
    public Task<DeliveryResult> CallAsync<TState>(
        Func<TState, CancellationToken, Task<ProviderAttempt>> attempt, TState state, CancellationToken cancellationToken) =>
        CallAsync(attempt, state, null, cancellationToken);

    /// <summary>"smtp:451" from "smtp:451", "twilio:20429" from "twilio:20429 HTTP 429", "http:503" from "HTTP 503".</summary>
    private static string CodeOf(string status)
    {
        var first = status.Split(' ', 2)[0];
        return first == "HTTP" && status.Length > 5 ? "http:" + status[5..].Split(' ', 2)[0] : first;
    }

    private static string Describe(Outcome<ProviderAttempt> outcome) =>
        outcome.Exception is TimeoutRejectedException ? "timed out" : outcome.Result.Status;

    /// <summary>One delivery's attempts.</summary>
    private sealed class Call<TState>(
        ProviderRateLimiter rate,
        Func<TState, CancellationToken, Task<ProviderAttempt>> attempt,
        TState state,
        int firstAttempt,
        TimeProvider clock,
        CancellationToken callerToken)
    {
        public ProviderRateLimiter Rate { get; } = rate;
        public Func<TState, CancellationToken, Task<ProviderAttempt>> Attempt { get; } = attempt;
        public TState State { get; } = state;
        public TimeProvider Clock { get; } = clock;
        public CancellationToken CallerToken { get; } = callerToken;
        public int Attempts { get; private set; }
        public List<DeliveryAttempt> History { get; } = [];

        /// <summary>Counts an attempt and returns its number among all attempts of the delivery.</summary>
        public int Begin() => firstAttempt + Attempts++;
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Debug, "{Channel} call failed ({Status}); attempt {Next} in {Delay}", EventName = "ProviderRetrying")]
        public static partial void Retrying(ILogger logger, string channel, int next, string status, TimeSpan delay);
    }
}
