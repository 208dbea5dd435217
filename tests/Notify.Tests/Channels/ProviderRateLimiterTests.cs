using Notify.Sender.Channels.Providers;

namespace Notify.Tests.Channels;

public sealed class ProviderRateLimiterTests
{
    [Fact]
    public async Task Burst_GetsOneSecondOfCallsAtOnce_ThenOnePerStep()
    {
        var clock = new FakeTimeProvider();
        var limiter = new ProviderRateLimiter(maxPerSecond: 4, clock);

        // A bucket of one second's calls: 4 go at once, the 5th waits for a refill.
        for (var i = 0; i < 4; i++)
        {
            await limiter.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }

        var fifth = limiter.WaitAsync(CancellationToken.None).AsTask();
        var sixth = limiter.WaitAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(fifth.IsCompleted);

        // 4 per second is one every 250 ms.
        clock.Advance(TimeSpan.FromMilliseconds(249));
        await Task.Delay(50);
        Assert.False(fifth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await fifth.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(sixth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await sixth.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BelowOnePerSecond_StillLetsTheFirstCallThrough_ThenWaitsItsFullStep()
    {
        var clock = new FakeTimeProvider();
        var limiter = new ProviderRateLimiter(maxPerSecond: 0.5, clock);

        await limiter.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var second = limiter.WaitAsync(CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_IsCancellable()
    {
        var clock = new FakeTimeProvider();
        var limiter = new ProviderRateLimiter(maxPerSecond: 1, clock);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = limiter.WaitAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
