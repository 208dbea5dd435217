using Notify.Metadata.Deliveries;
using Notify.Sender.Delivery;
using Notify.Tests.Webhooks.Support;
using static Notify.Tests.Webhooks.Support.WebhookTestServer;

namespace Notify.Tests.Webhooks;

/// <summary>
/// A webhook delivery following its retry schedule (a <see cref="SchedulePlan"/>), against a real local
/// endpoint on a manual clock: attempt numbers, the retries made in process, and where the call stops.
/// </summary>
public sealed class WebhookScheduleTests
{
    private static readonly TimeSpan InProcessLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ShortWaits_AreRetriedInProcess_EachRequestNumbered_WithTheSameMessageId()
    {
        await using var server = await StartAsync(503, 503, 200);
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([1, 2, 600]), firstAttempt: 1, InProcessLimit);

        var (result, delays) = await harness.RunThroughRetriesAsync(Deliver(harness, server, plan));

        Assert.True(result.Delivered);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);
        Assert.Equal(["1", "2", "3"], server.Requests.Select(r => r.Headers["X-Notify-Attempt"]));
        Assert.Single(server.Requests.Select(r => r.Headers["X-Notify-Message-Id"]).Distinct());
        Assert.Equal([1, 2, 3], result.History.Select(a => a.Number));
        Assert.Equal(["HTTP 503", "HTTP 503", "HTTP 200"], result.History.Select(a => a.Outcome));
    }

    /// <summary>A replayed message is marked on every attempt; an ordinary one on none.</summary>
    [Fact]
    public async Task AReplay_CarriesXNotifyReplayOnEveryAttempt_AnOrdinaryMessageNever()
    {
        await using var server = await StartAsync(503, 200, 200);
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([1]), firstAttempt: 1, InProcessLimit);

        var (replayed, _) = await harness.RunThroughRetriesAsync(harness.Channel.DeliverAsync(
            WebhookHarness.Notification() with { Replay = true }, WebhookHarness.Subscription(server.Url()), plan, CancellationToken.None));
        var ordinary = await Deliver(harness, server, plan);

        Assert.True(replayed.Delivered);
        Assert.True(ordinary.Delivered);
        Assert.Equal(["true", "true"], server.Requests.Take(2).Select(r => r.Headers["X-Notify-Replay"]));
        Assert.False(server.Requests.Last().Headers.ContainsKey("X-Notify-Replay"));
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task AWaitBeyondTheInProcessLimit_EndsTheCall_AsATransientFailure()
    {
        await using var server = await StartAsync(500, 200);
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([300]), firstAttempt: 1, InProcessLimit);

        var (result, delays) = await harness.RunThroughRetriesAsync(Deliver(harness, server, plan));

        Assert.False(result.Delivered);
        Assert.False(result.Permanent);
        Assert.Empty(delays);
        Assert.Equal(1, result.Attempts);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task ALaterTurn_NumbersItsAttemptsFromItsFirst()
    {
        await using var server = await StartAsync(200);
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([5, 300, 1800]), firstAttempt: 4, InProcessLimit);

        var (result, _) = await harness.RunThroughRetriesAsync(Deliver(harness, server, plan));

        Assert.True(result.Delivered);
        Assert.Equal("4", Assert.Single(server.Requests).Headers["X-Notify-Attempt"]);
        Assert.Equal(4, Assert.Single(result.History).Number);
    }

    [Theory]
    [InlineData(400, true)]
    [InlineData(404, true)]
    [InlineData(410, true)]
    [InlineData(408, false)]
    [InlineData(425, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(301, false)]
    public async Task FourHundredsOtherThan408_425_429_ArePermanent(int status, bool permanent)
    {
        await using var server = await StartAsync(status);
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([300]), firstAttempt: 1, InProcessLimit);

        var (result, _) = await harness.RunThroughRetriesAsync(Deliver(harness, server, plan));

        Assert.False(result.Delivered);
        Assert.Equal(permanent, result.Permanent);
        Assert.Equal(status == 410, result.Gone);
    }

    [Fact]
    public async Task ARetryAfterLongerThanTheScheduledWait_IsKeptForTheNextTurn()
    {
        await using var server = await StartAsync(new Reply(503, RetryAfter: "120"), new Reply(200));
        using var harness = WebhookHarness.Create();
        var plan = new SchedulePlan(new RetrySchedule([5]), firstAttempt: 1, InProcessLimit);

        var (result, delays) = await harness.RunThroughRetriesAsync(Deliver(harness, server, plan));

        Assert.False(result.Delivered);
        Assert.Empty(delays);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(120), SchedulePlan.NextWait(plan.Schedule, 1, result.RetryAfter));
    }

    /// <summary>
    /// A paced plan's wait for its send turn comes after the request is composed and before it goes out; a
    /// failure to take the turn (the pace's store unavailable) is no attempt: nothing is sent, the caller gets it.
    /// </summary>
    [Fact]
    public async Task APacedPlan_HoldsTheRequestUntilItsTurn_AndAFailedTurnSendsNothing()
    {
        await using var server = await StartAsync(200);
        using var harness = WebhookHarness.Create();
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var plan = new SchedulePlan(new RetrySchedule([1]), firstAttempt: 1, TimeSpan.Zero, _ =>
        {
            waiting.TrySetResult();
            return turn.Task;
        });

        var delivery = Deliver(harness, server, plan);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(server.Requests);
        turn.SetResult();
        var result = await delivery.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Delivered);
        Assert.Single(server.Requests);

        var unavailable = new SchedulePlan(new RetrySchedule([1]), firstAttempt: 1, TimeSpan.Zero, _ =>
            throw new Notify.Shared.Dependencies.DependencyUnavailableException("the deliveries table", "Notify cannot reach the deliveries table: refused"));
        await Assert.ThrowsAsync<Notify.Shared.Dependencies.DependencyUnavailableException>(() => Deliver(harness, server, unavailable));
        Assert.Single(server.Requests);
    }

    private static Task<Notify.Sender.Channels.DeliveryResult> Deliver(WebhookHarness harness, WebhookTestServer server, SchedulePlan plan) =>
        harness.Channel.DeliverAsync(WebhookHarness.Notification(), WebhookHarness.Subscription(server.Url()), plan, CancellationToken.None);
}
