using Microsoft.Extensions.Logging.Abstractions;
using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries;

/// <summary>The in-memory counters over a real SQLite store.</summary>
public sealed class DeliveryCountersTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly StatsScope Orders = StatsScope.Topic("orders");
    private static readonly StatsScope Subscription = StatsScope.Subscription("sub-a");

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly SqliteDeliveryStore _store;
    private readonly DeliveryCounters _counters;

    public DeliveryCountersTests()
    {
        _store = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, _clock);
        _counters = new DeliveryCounters(_store, _clock);
    }

    [Fact]
    public async Task Flush_WritesTheSumsPerScope_AndTheLatestOutcomes()
    {
        _counters.Add(Orders, new DeliveryCounts(1, 0, 0, 0, 0));
        _counters.Add(Orders, new DeliveryCounts(0, 1, 0, 0, 0), success: new LastOutcome(Now.AddSeconds(2), null));
        _counters.Add(Orders, new DeliveryCounts(0, 0, 1, 1, 0), failure: new LastOutcome(Now.AddSeconds(3), "HTTP 500"));
        _counters.Add(Orders, default, failure: new LastOutcome(Now.AddSeconds(1), "HTTP 404"));
        _counters.Add(Subscription, new DeliveryCounts(0, 1, 0, 0, 0));

        await _counters.FlushAsync(default);
        await _counters.FlushAsync(default);

        var orders = await _store.GetStatsAsync(Orders, Now, default);
        Assert.Equal(
            new DeliveryStats(new DeliveryCounts(1, 1, 1, 1, 0), new DeliveryCounts(1, 1, 1, 1, 0), new LastOutcome(Now.AddSeconds(2), null), new LastOutcome(Now.AddSeconds(3), "HTTP 500"))
            {
                FailingSince = Now.AddSeconds(3),
            },
            orders);
        Assert.Equal(new DeliveryCounts(0, 1, 0, 0, 0), (await _store.GetStatsAsync(Subscription, Now, default)).Total);
    }

    [Fact]
    public async Task Adds_InDifferentMinutes_GoToTheirOwnBuckets()
    {
        _counters.Add(Orders, new DeliveryCounts(5, 0, 0, 0, 0));
        _clock.Advance(TimeSpan.FromMinutes(61));
        _counters.Add(Orders, new DeliveryCounts(2, 0, 0, 0, 0));

        await _counters.FlushAsync(default);

        var stats = await _store.GetStatsAsync(Orders, _clock.GetUtcNow(), default);
        Assert.Equal(new DeliveryCounts(7, 0, 0, 0, 0), stats.Total);
        Assert.Equal(new DeliveryCounts(2, 0, 0, 0, 0), stats.LastHour);
    }

    /// <summary>
    /// A store whose folder is missing fails every write, as a data directory that went away does; the
    /// counts wait in memory, merged with later adds, and the flush after the folder is back writes them all.
    /// </summary>
    [Fact]
    public async Task FailedFlush_KeepsTheCounts_ForTheNextFlush()
    {
        var folder = _directory.File("later");
        var store = new SqliteDeliveryStore(Path.Combine(folder, "deliveries.db"), TestCipher.Instance, _clock);
        var counters = new DeliveryCounters(store, _clock);
        counters.Add(Orders, new DeliveryCounts(1, 1, 0, 0, 0), success: new LastOutcome(Now, null));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => counters.FlushAsync(default));
        counters.Add(Orders, new DeliveryCounts(1, 0, 1, 1, 0), failure: new LastOutcome(Now.AddSeconds(1), "HTTP 500"));
        Directory.CreateDirectory(folder);
        await counters.FlushAsync(default);

        var stats = await store.GetStatsAsync(Orders, Now, default);
        Assert.Equal(
            new DeliveryStats(new DeliveryCounts(2, 1, 1, 1, 0), new DeliveryCounts(2, 1, 1, 1, 0), new LastOutcome(Now, null), new LastOutcome(Now.AddSeconds(1), "HTTP 500"))
            {
                FailingSince = Now.AddSeconds(1),
            },
            stats);
    }

    [Fact]
    public async Task ConcurrentAdds_WhileFlushing_LoseNothing()
    {
        const int Writers = 4;
        const int AddsEach = 2000;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < AddsEach; i++)
            {
                _counters.Add(i % 2 == 0 ? Orders : Subscription, new DeliveryCounts(1, 1, 0, 0, 0));
            }
        })).ToArray();
        var flushes = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                await _counters.FlushAsync(default);
            }
        });

        await Task.WhenAll(writers);
        await flushes;
        await _counters.FlushAsync(default);

        Assert.Equal(new DeliveryCounts(Writers * AddsEach / 2, Writers * AddsEach / 2, 0, 0, 0), (await _store.GetStatsAsync(Orders, Now, default)).Total);
        Assert.Equal(new DeliveryCounts(Writers * AddsEach / 2, Writers * AddsEach / 2, 0, 0, 0), (await _store.GetStatsAsync(Subscription, Now, default)).Total);
    }

    [Fact]
    public async Task Flusher_FlushesOnceMoreWhenTheHostStops()
    {
        var flusher = new DeliveryCountersFlusher(
            _counters, Microsoft.Extensions.Options.Options.Create(new DeliveryOptions()), _clock, NullLogger<DeliveryCountersFlusher>.Instance);
        await flusher.StartAsync(default);
        _counters.Add(Orders, new DeliveryCounts(3, 0, 0, 0, 0));

        await flusher.StopAsync(default);

        Assert.Equal(new DeliveryCounts(3, 0, 0, 0, 0), (await _store.GetStatsAsync(Orders, Now, default)).Total);
    }

    [Fact]
    public async Task Flusher_FlushesEveryInterval()
    {
        var clock = new TimerSignallingTimeProvider();
        clock.SetUtcNow(Now);
        var counters = new DeliveryCounters(_store, clock);
        var flusher = new DeliveryCountersFlusher(
            counters, Microsoft.Extensions.Options.Options.Create(new DeliveryOptions()), clock, NullLogger<DeliveryCountersFlusher>.Instance);
        await flusher.StartAsync(default);
        counters.Add(Orders, new DeliveryCounts(3, 0, 0, 0, 0));

        await clock.WaitForTimerAsync(new DeliveryOptions().StatsFlushInterval);
        clock.Advance(new DeliveryOptions().StatsFlushInterval);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _store.GetStatsAsync(Orders, Now, default)).Total.IsZero && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(new DeliveryCounts(3, 0, 0, 0, 0), (await _store.GetStatsAsync(Orders, Now, default)).Total);
        await flusher.StopAsync(default);
    }

    public void Dispose() => _directory.Dispose();
}
