using Microsoft.Extensions.Time.Testing;
using Notify.Sender.Delivery;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

public sealed class SubscriptionPacerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reserve_GivesTurnsOneIntervalApart_PerSubscription()
    {
        var clock = new FakeTimeProvider(Start);
        var pacer = new SubscriptionPacer(clock);

        var turns = Enumerable.Range(0, 4).Select(_ => pacer.Reserve("s1", maxPerSecond: 2)).ToList();
        var other = pacer.Reserve("s2", maxPerSecond: 2);

        Assert.Equal([Start, Start.AddSeconds(0.5), Start.AddSeconds(1), Start.AddSeconds(1.5)], turns);
        Assert.Equal(Start, other);

        // A subscription idle since its last turn starts again from now.
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Start.AddSeconds(10), pacer.Reserve("s1", maxPerSecond: 2));
    }

    [Fact]
    public async Task WaitToSend_KeepsRequestsOneIntervalApart_EvenWhenWorkComesBackTogether()
    {
        var clock = new TimerSignallingTimeProvider();
        clock.SetUtcNow(Start);
        var pacer = new SubscriptionPacer(clock);

        await pacer.WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        var second = pacer.WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        var third = pacer.WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        await pacer.WaitToSendAsync("s2", maxPerSecond: 2, CancellationToken.None);

        await clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.5));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await second;
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        await third;
    }

    [Fact]
    public void Reserve_AfterASend_DoesNotGiveATurnBeforeIt()
    {
        var clock = new FakeTimeProvider(Start);
        var pacer = new SubscriptionPacer(clock);

        _ = pacer.WaitToSendAsync("s1", maxPerSecond: 1, CancellationToken.None);
        _ = pacer.WaitToSendAsync("s1", maxPerSecond: 1, CancellationToken.None);

        Assert.Equal(Start.AddSeconds(1), pacer.Reserve("s1", maxPerSecond: 1));
    }
}
