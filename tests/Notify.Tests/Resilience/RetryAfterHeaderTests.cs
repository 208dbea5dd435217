using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using Notify.Shared.Resilience;

namespace Notify.Tests.Resilience;

public sealed class RetryAfterHeaderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Seconds_AreTheWait()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterHeader.Delay(RetryConditionHeaderValue.Parse("7"), _clock));
    }

    [Fact]
    public void AnHttpDate_IsMeasuredFromTheInjectedClock_NotTheMachinesTime()
    {
        var header = RetryConditionHeaderValue.Parse(_clock.GetUtcNow().AddSeconds(12).ToString("r", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromSeconds(12), RetryAfterHeader.Delay(header, _clock));

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterHeader.Delay(header, _clock));
    }

    [Fact]
    public void AnHttpDateAlreadyPast_AsksForNoWait()
    {
        var header = RetryConditionHeaderValue.Parse(_clock.GetUtcNow().AddMinutes(-1).ToString("r", CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Delay(header, _clock));
    }

    [Fact]
    public void NoHeader_IsNoWait_SoTheBackoffDecides()
    {
        Assert.Null(RetryAfterHeader.Delay(null, _clock));
    }
}
