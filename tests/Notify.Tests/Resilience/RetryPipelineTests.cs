using Notify.Shared.Resilience;
using Notify.Tests.Support;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Notify.Tests.Resilience;

/// <summary>
/// The one retry pipeline builder, on a fake clock: each run moves the clock through every wait as soon
/// as it is armed, and the waits are measured as the clock's time between one attempt and the next.
/// </summary>
public sealed class RetryPipelineTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);

    // Longer than any wait below, so the attempt-timeout timers are told apart from the retry waits.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromHours(2);

    [Fact]
    public async Task TransientResults_AreRetried_UntilOneSucceeds()
    {
        var run = new Run(maxAttempts: 5);
        var answers = new Queue<Answer>([Answer.Failed(), Answer.Failed(), Answer.Ok]);

        var result = await run.ExecuteAsync((_, _) => ValueTask.FromResult(answers.Dequeue()));

        Assert.Equal(Answer.Ok, result);
        Assert.Equal(3, run.Attempts);
        Assert.Equal(2, run.Waits.Count);
    }

    [Fact]
    public async Task TransientResults_AreGivenUp_AfterMaxAttempts_CountingTheFirst()
    {
        var run = new Run(maxAttempts: 4);

        var result = await run.ExecuteAsync(Always(Answer.Failed()));

        Assert.Equal(Answer.Failed(), result);
        Assert.Equal(4, run.Attempts);
        Assert.Equal([0, 1, 2], run.RetryNumbers);
    }

    [Fact]
    public async Task OneMaxAttempt_IsNeverRetried()
    {
        var run = new Run(maxAttempts: 1);

        var result = await run.ExecuteAsync(Always(Answer.Failed()));

        Assert.Equal(Answer.Failed(), result);
        Assert.Equal(1, run.Attempts);
        Assert.Empty(run.RetryNumbers);
    }

    [Fact]
    public async Task APermanentResult_IsNotRetried()
    {
        var run = new Run(maxAttempts: 5);

        var result = await run.ExecuteAsync(Always(Answer.Refused));

        Assert.Equal(Answer.Refused, result);
        Assert.Equal(1, run.Attempts);
        Assert.Empty(run.RetryNumbers);
    }

    [Fact]
    public async Task AnExceptionThePredicateDoesNotRetry_EndsTheRunAtOnce()
    {
        var run = new Run(maxAttempts: 5);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => run.ExecuteAsync((_, _) => throw new InvalidOperationException("a bug, not a failed call")));

        Assert.Equal(1, run.Attempts);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public async Task RetryAfter_ReplacesTheBackoff(int seconds)
    {
        var run = new Run(maxAttempts: 5);
        var answers = new Queue<Answer>([Answer.Failed(retryAfter: TimeSpan.FromSeconds(seconds)), Answer.Ok]);

        var result = await run.ExecuteAsync((_, _) => ValueTask.FromResult(answers.Dequeue()));

        Assert.Equal(Answer.Ok, result);
        Assert.Equal([TimeSpan.FromSeconds(seconds)], run.Waits);
        Assert.Equal(run.Waits, run.ReportedDelays);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxDelay_IsCappedAtMaxDelay()
    {
        var run = new Run(maxAttempts: 5, maxDelay: TimeSpan.FromSeconds(30));
        var answers = new Queue<Answer>([Answer.Failed(retryAfter: TimeSpan.FromHours(1)), Answer.Ok]);

        await run.ExecuteAsync((_, _) => ValueTask.FromResult(answers.Dequeue()));

        Assert.Equal([TimeSpan.FromSeconds(30)], run.Waits);
    }

    [Fact]
    public async Task Backoff_IsPollysJitteredExponential_WithinItsDocumentedBounds()
    {
        const int Retries = 8;
        var firstWaits = new List<TimeSpan>();
        for (var delivery = 0; delivery < 20; delivery++)
        {
            var run = new Run(maxAttempts: Retries + 1, maxDelay: TimeSpan.FromMinutes(10));

            await run.ExecuteAsync(Always(Answer.Failed()));

            var waits = run.Waits;
            Assert.Equal(Retries, waits.Count);
            Assert.Equal(run.ReportedDelays.Select(Milliseconds), waits.Select(Milliseconds));

            // Polly's bounds for the n-th wait (from 0) with jitter: up to Base·2ⁿ⁺¹ for n < 2, then Base·(2ⁿ⁺¹ − 2ⁿ⁻¹).
            for (var n = 0; n < Retries; n++)
            {
                var bound = n < 2 ? Math.Pow(2, n + 1) : Math.Pow(2, n + 1) - Math.Pow(2, n - 1);
                Assert.InRange(waits[n], TimeSpan.Zero, Base * bound);
            }

            // Growing exponentially: Polly's waits telescope, so after n retries they add up to at least
            // Base·2ⁿ⁻² (n ≥ 2); eight constant waits of Base would add up to 8·Base, not 64.
            Assert.True(
                waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait) >= Base * Math.Pow(2, Retries - 2),
                $"the waits {string.Join(", ", waits)} do not grow exponentially");
            firstWaits.Add(waits[0]);
        }

        Assert.True(firstWaits.Distinct().Count() > 1, "twenty deliveries failing together all retried after the same wait");
    }

    [Fact]
    public async Task Backoff_IsCappedAtMaxDelay()
    {
        var maxDelay = TimeSpan.FromSeconds(10);
        for (var delivery = 0; delivery < 10; delivery++)
        {
            var run = new Run(maxAttempts: 9, maxDelay: maxDelay);

            await run.ExecuteAsync(Always(Answer.Failed()));

            // Uncapped, the 5th to 8th waits would add up to at least 80 s (Polly's waits telescope),
            // more than four waits of 10 s: so at least one of them is cut to MaxDelay.
            Assert.All(run.Waits, wait => Assert.InRange(wait, TimeSpan.Zero, maxDelay));
            Assert.Contains(maxDelay, run.Waits);
        }
    }

    [Fact]
    public async Task ATimedOutAttempt_IsRetried()
    {
        var run = new Run(maxAttempts: 3);

        var result = await run.ExecuteAsync(
            async (attempt, cancellationToken) =>
            {
                if (attempt == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }

                return Answer.Ok;
            },
            advanceAttemptTimeouts: true);

        Assert.Equal(Answer.Ok, result);
        Assert.Equal(2, run.Attempts);
        Assert.IsType<TimeoutRejectedException>(Assert.Single(run.RetriedOn).Exception);
        Assert.True(run.Waits[0] >= AttemptTimeout, "the second attempt started before the first timed out");
    }

    [Fact]
    public async Task EveryAttemptTimingOut_EndsInTheTimeout_AfterMaxAttempts()
    {
        var run = new Run(maxAttempts: 2);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => run.ExecuteAsync(
            async (_, cancellationToken) =>
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                return Answer.Ok;
            },
            advanceAttemptTimeouts: true));

        Assert.Equal(2, run.Attempts);
    }

    // Task.Delay counts whole milliseconds, so the wait Polly reports is kept to the millisecond.
    private static long Milliseconds(TimeSpan wait) => (long)wait.TotalMilliseconds;

    private static Func<int, CancellationToken, ValueTask<Answer>> Always(Answer answer) => (_, _) => ValueTask.FromResult(answer);

    private sealed record Answer(string Status, bool Transient = false, TimeSpan? RetryAfter = null)
    {
        public static readonly Answer Ok = new("ok");

        public static readonly Answer Refused = new("refused for good");

        public static Answer Failed(TimeSpan? retryAfter = null) => new("failed for now", Transient: true, retryAfter);
    }

    /// <summary>One pipeline on its own fake clock, and what happened while it ran.</summary>
    private sealed class Run
    {
        private readonly TimerSignallingTimeProvider _clock = new();
        private readonly ResiliencePipeline<Answer> _pipeline;
        private readonly List<DateTimeOffset> _started = [];
        private readonly List<OnRetryArguments<Answer>> _retries = [];

        public Run(int maxAttempts, TimeSpan? maxDelay = null) =>
            _pipeline = RetryPipeline.Build(
                new RetryPipelineOptions<Answer>
                {
                    Name = "Notify.Tests",
                    MaxAttempts = maxAttempts,
                    BaseDelay = Base,
                    MaxDelay = maxDelay ?? TimeSpan.FromMinutes(1),
                    AttemptTimeout = AttemptTimeout,
                    ShouldRetry = static outcome => outcome switch
                    {
                        { Exception: TimeoutRejectedException } => true,
                        { Exception: not null } => false,
                        { Result: var answer } => answer!.Transient,
                    },
                    RetryAfter = static answer => answer.RetryAfter,
                    OnRetry = args =>
                    {
                        _retries.Add(args);
                        return ValueTask.CompletedTask;
                    },
                },
                _clock);

        public int Attempts => _started.Count;

        /// <summary>The clock's time from each attempt's start to the next's.</summary>
        public List<TimeSpan> Waits => _started.Zip(_started.Skip(1), (first, next) => next - first).ToList();

        public List<TimeSpan> ReportedDelays => _retries.Select(r => r.RetryDelay).ToList();

        public List<int> RetryNumbers => _retries.Select(r => r.AttemptNumber).ToList();

        public List<Outcome<Answer>> RetriedOn => _retries.Select(r => r.Outcome).ToList();

        /// <param name="attempt">Given the attempt's number (from 1) and its cancellation token.</param>
        /// <param name="advanceAttemptTimeouts">Also move the clock through attempt timeouts, for attempts that hang.</param>
        public async Task<Answer> ExecuteAsync(Func<int, CancellationToken, ValueTask<Answer>> attempt, bool advanceAttemptTimeouts = false)
        {
            var execution = _pipeline.ExecuteAsync(
                cancellationToken =>
                {
                    _started.Add(_clock.GetUtcNow());
                    return attempt(_started.Count, cancellationToken);
                }).AsTask();

            using var done = new CancellationTokenSource();
            while (true)
            {
                var armed = _clock.NextTimerAsync(done.Token);
                if (await Task.WhenAny(execution, armed) == execution)
                {
                    await done.CancelAsync();
                    return await execution;
                }

                var due = await armed;
                if (due != AttemptTimeout || advanceAttemptTimeouts)
                {
                    _clock.Advance(due);
                }
            }
        }
    }
}
