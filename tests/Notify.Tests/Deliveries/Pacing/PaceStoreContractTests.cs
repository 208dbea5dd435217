using Notify.Metadata.Deliveries.Pacing;

namespace Notify.Tests.Deliveries.Pacing;

/// <summary>The behaviour every <see cref="IPaceStore"/> must have, whatever its engine: the turns of a paced subscription.</summary>
public abstract class PaceStoreContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The clock every store a test makes must be built on.</summary>
    protected FakeTimeProvider Clock { get; } = new(Now);

    /// <summary>A store on the test's file or table; two calls give two stores on the same one, as two Senders have.</summary>
    protected abstract IPaceStore NewStore();

    [Fact]
    public async Task TakeTurn_GivesTurnsOneIntervalApart_OnEachLineOfItsOwn()
    {
        var store = NewStore();

        var turns = new List<DateTimeOffset>();
        for (var i = 0; i < 4; i++)
        {
            turns.Add(await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(0.5), default));
        }

        Assert.Equal([Now, Now.AddSeconds(0.5), Now.AddSeconds(1), Now.AddSeconds(1.5)], turns);
        Assert.Equal(Now, await store.TakeTurnAsync("s2/turns", TimeSpan.FromSeconds(0.5), default));
        Assert.Equal(Now, await store.TakeTurnAsync("s1/sends", TimeSpan.FromSeconds(0.5), default));
    }

    [Fact]
    public async Task TakeTurn_OnALineIdleSinceItsNextTurn_IsNow()
    {
        var store = NewStore();
        await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default);
        await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default);

        // Its next turn was Now + 2 s; a turn taken later starts from then, not from that turn.
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(Now.AddSeconds(10), await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default));
        Assert.Equal(Now.AddSeconds(11), await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task TakeTurn_WhenTheNextTurnIsStillAhead_QueuesBehindIt()
    {
        var store = NewStore();
        for (var i = 0; i < 5; i++)
        {
            await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default);
        }

        // Next free turn: Now + 5 s. Half a second on, it is still that one, not now.
        Clock.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(Now.AddSeconds(5), await store.TakeTurnAsync("s1/turns", TimeSpan.FromSeconds(1), default));
    }

    /// <summary>Two Senders (two stores on one file or table) taking turns at once never get the same one.</summary>
    [Fact]
    public async Task TakeTurn_ByManyAtOnceFromTwoStores_GivesEachADistinctTurn()
    {
        var stores = new[] { NewStore(), NewStore() };
        var interval = TimeSpan.FromMilliseconds(100);

        var turns = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => stores[i % 2].TakeTurnAsync("s1/sends", interval, default)));

        Assert.Equal(Enumerable.Range(0, 40).Select(k => Now + k * interval), turns.Order());
    }

    /// <summary>Intervals below a millisecond (the fastest pace, 10,000 a second, is 100 µs) and ones that are not whole milliseconds stay exact.</summary>
    [Fact]
    public async Task TakeTurn_KeepsIntervalsFinerThanAMillisecond()
    {
        var store = NewStore();

        var fast = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            fast.Add(await store.TakeTurnAsync("fast/sends", TimeSpan.FromSeconds(1 / 10_000.0), default));
        }

        await store.TakeTurnAsync("third/sends", TimeSpan.FromSeconds(1 / 3.0), default);
        await store.TakeTurnAsync("third/sends", TimeSpan.FromSeconds(1 / 3.0), default);
        var third = await store.TakeTurnAsync("third/sends", TimeSpan.FromSeconds(1 / 3.0), default);

        Assert.Equal([Now, Now.AddTicks(1_000), Now.AddTicks(2_000)], fast);
        Assert.Equal(Now.AddTicks(2 * 3_333_330), third);
    }
}
