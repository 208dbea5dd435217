using Notify.Shared.Redis;
using Notify.Tests.Support;

namespace Notify.Tests.Redis;

public sealed class LogThrottleTests
{
    [Fact]
    public void OneEntryPerInterval_GetsThrough_AndTheNextOneCountsTheRest()
    {
        var clock = new FakeTimeProvider();
        var throttle = new LogThrottle(clock, TimeSpan.FromSeconds(10));

        Assert.True(throttle.TryEnter(out var suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(throttle.TryEnter(out _));
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(throttle.TryEnter(out _));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.TryEnter(out suppressed));
        Assert.Equal(2, suppressed);
    }
}
