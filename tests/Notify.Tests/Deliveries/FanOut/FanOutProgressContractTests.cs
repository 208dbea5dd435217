using Notify.Metadata.Deliveries.FanOut;

namespace Notify.Tests.Deliveries.FanOut;

/// <summary>The behaviour every <see cref="IFanOutProgress"/> must have, whatever its engine.</summary>
public abstract class FanOutProgressContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected abstract IFanOutProgress Progress { get; }

    [Fact]
    public async Task Get_BeforeAnyMark_IsNull()
    {
        Assert.Null(await Progress.GetAsync("m1", default));
    }

    [Fact]
    public async Task Save_ThenGet_ReturnsTheLatestMark_PerMessage()
    {
        await Progress.SaveAsync("m1", new FanOutMark("s-100", 1), Now.AddDays(7), default);
        await Progress.SaveAsync("m1", new FanOutMark("s-200", 2), Now.AddDays(7), default);
        await Progress.SaveAsync("m2", new FanOutMark("s-050", 1), Now.AddDays(7), default);

        Assert.Equal(new FanOutMark("s-200", 2), await Progress.GetAsync("m1", default));
        Assert.Equal(new FanOutMark("s-050", 1), await Progress.GetAsync("m2", default));
    }

    [Fact]
    public async Task Get_AfterTheMarkExpired_IsNull()
    {
        await Progress.SaveAsync("m1", new FanOutMark("s-100", 1), Now.AddHours(1), default);

        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(await Progress.GetAsync("m1", default));
    }
}
