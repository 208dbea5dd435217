using Notify.Sender.Channels;
using Notify.Sender.Channels.Providers;
using Notify.Shared.Sms;

namespace Notify.Tests.Channels;

public sealed class ProviderCallerTests
{
    private readonly FakeLogCollector _logs = new();

    [Fact]
    public async Task TransientFailures_AreRetried_UntilTheProviderAccepts()
    {
        var answers = new Queue<ProviderAttempt>([ProviderAttempt.Transient("HTTP 503"), ProviderAttempt.Transient("HTTP 429"), ProviderAttempt.Accepted("HTTP 201")]);
        var caller = Caller(new SmsOptions { MaxPerSecond = 1000, BaseDelay = TimeSpan.Zero, MaxAttempts = 5 }, new FakeTimeProvider());

        var result = await caller.CallAsync((queue, _) => Task.FromResult(queue.Dequeue()), answers, CancellationToken.None);

        Assert.Equal(DeliveryResult.Success(3, "HTTP 201"), result.WithoutHistory());
        Assert.Equal([(1, "HTTP 503"), (2, "HTTP 429"), (3, "HTTP 201")], result.History.Select(a => (a.Number, a.Outcome)));
    }

    [Fact]
    public async Task APermanentRefusal_EndsTheDeliveryAtOnce_WithTheRefusal()
    {
        var refusal = new DeliveryRefusal("twilio:21211", "not a valid phone number");
        var calls = 0;
        var caller = Caller(new SmsOptions { MaxPerSecond = 1000, BaseDelay = TimeSpan.Zero, MaxAttempts = 5 }, new FakeTimeProvider());

        var result = await caller.CallAsync(
            (_, _) => { calls++; return Task.FromResult(ProviderAttempt.Permanent("twilio:21211 HTTP 400", refusal)); }, 0, CancellationToken.None);

        Assert.Equal(1, calls);
        Assert.False(result.Delivered);
        Assert.Equal(refusal, result.Refusal);
    }

    [Fact]
    public async Task TransientFailures_GiveUpAfterMaxAttempts_WithoutBlamingTheRecipient()
    {
        var calls = 0;
        var caller = Caller(new SmsOptions { MaxPerSecond = 1000, BaseDelay = TimeSpan.Zero, MaxAttempts = 3 }, new FakeTimeProvider());

        var result = await caller.CallAsync((_, _) => { calls++; return Task.FromResult(ProviderAttempt.Transient("HTTP 500")); }, 0, CancellationToken.None);

        Assert.Equal(3, calls);
        Assert.Equal(DeliveryResult.GaveUp(3, "HTTP 500", "http:500"), result.WithoutHistory());
    }

    [Fact]
    public async Task EveryCall_WaitsItsTurnAtTheChannelsRate()
    {
        var clock = new FakeTimeProvider();
        var caller = Caller(new SmsOptions { MaxPerSecond = 1, MaxAttempts = 1 }, clock);
        var calls = 0;
        Task<ProviderAttempt> Call(int _, CancellationToken __)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(ProviderAttempt.Accepted("HTTP 201"));
        }

        await caller.CallAsync(Call, 0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var second = caller.CallAsync(Call, 0, CancellationToken.None);
        await Task.Delay(50);
        Assert.Equal(1, calls);

        clock.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, calls);
    }

    /// <summary>A paced delivery's plan is waited for once, before the first call to the provider, not before each retry.</summary>
    [Fact]
    public async Task APlansWaitToSend_ComesBeforeTheFirstCall_OnceForTheWholeCall()
    {
        var caller = Caller(new SmsOptions { MaxPerSecond = 1000, BaseDelay = TimeSpan.Zero, MaxAttempts = 5 }, new FakeTimeProvider());
        var plan = new CountingPlan();
        var callsAtWait = new List<int>();
        var calls = 0;
        plan.OnWait = () => callsAtWait.Add(calls);

        var result = await caller.CallAsync(
            (_, _) => Task.FromResult(++calls < 3 ? ProviderAttempt.Transient("HTTP 503") : ProviderAttempt.Accepted("HTTP 201")), 0, plan, CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal(3, calls);
        Assert.Equal([0], callsAtWait);
    }

    /// <summary>Retries every attempt at once, up to five, and reports each wait to send.</summary>
    private sealed class CountingPlan() : Notify.Shared.Resilience.RetryPlan(firstAttempt: 1)
    {
        public Action OnWait { get; set; } = () => { };

        public override TimeSpan? InProcessWait(int attempt, TimeSpan? retryAfter) => attempt < 5 ? TimeSpan.Zero : null;

        public override Task WaitToSendAsync(CancellationToken cancellationToken)
        {
            OnWait();
            return Task.CompletedTask;
        }
    }

    private ProviderCaller Caller(SmsOptions options, TimeProvider clock) =>
        new("SMS", options, clock, new FakeLogger<ProviderCallerTests>(_logs));
}
