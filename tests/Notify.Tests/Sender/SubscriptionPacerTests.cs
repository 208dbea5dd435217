using Notify.Metadata.Deliveries.Pacing;
using Notify.Sender.Delivery;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

/// <summary>The pacer over a real pace store (SQLite): reserved turns, and the hold just before each request.</summary>
public sealed class SubscriptionPacerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly TimerSignallingTimeProvider _clock = new();

    public SubscriptionPacerTests() => _clock.SetUtcNow(Start);

    [Fact]
    public async Task Reserve_GivesTurnsOneIntervalApart_PerSubscription()
    {
        var pacer = NewPacer();

        var turns = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            turns.Add(await pacer.ReserveAsync("s1", maxPerSecond: 2, default));
        }

        Assert.Equal([Start, Start.AddSeconds(0.5), Start.AddSeconds(1), Start.AddSeconds(1.5)], turns);
        Assert.Equal(Start, await pacer.ReserveAsync("s2", maxPerSecond: 2, default));

        // A subscription idle since its last turn starts again from now.
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(Start.AddSeconds(10), await pacer.ReserveAsync("s1", maxPerSecond: 2, default));
    }

    /// <summary>Work that came back together (late, or from two Senders) goes out one interval apart.</summary>
    [Fact]
    public async Task WaitToSend_KeepsRequestsOneIntervalApart_EvenFromTwoSenders()
    {
        var senders = new[] { NewPacer(), NewPacer() };

        await senders[0].WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        var second = senders[1].WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(0.5));
        var third = senders[0].WaitToSendAsync("s1", maxPerSecond: 2, CancellationToken.None);
        await _clock.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        await senders[1].WaitToSendAsync("s2", maxPerSecond: 2, CancellationToken.None);

        Assert.False(second.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        await second;
        Assert.False(third.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.5));
        await third;
    }

    /// <summary>A reserved turn is not a send: the first request to a subscription goes at once, whatever was reserved.</summary>
    [Fact]
    public async Task WaitToSend_IsALineOfItsOwn_ApartFromReservedTurns()
    {
        var pacer = NewPacer();
        await pacer.ReserveAsync("s1", maxPerSecond: 1, default);
        await pacer.ReserveAsync("s1", maxPerSecond: 1, default);

        // The fake clock never moves here: a send that waited for a turn would time out.
        await pacer.WaitToSendAsync("s1", maxPerSecond: 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _directory.Dispose();

    private SubscriptionPacer NewPacer() => new(new SqlitePaceStore(_directory.File("deliveries.db"), _clock), _clock);
}
