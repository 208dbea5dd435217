using Notify.Metadata.Deliveries;

namespace Notify.Tests.Deliveries;

/// <summary>Stats: totals, the last hour's buckets, last outcomes.</summary>
public abstract partial class DeliveryStoreContractTests
{
    private static readonly StatsScope Orders = StatsScope.Topic("orders");

    [Fact]
    public async Task GetStats_OfAScopeNeverCounted_IsNone()
    {
        Assert.Equal(DeliveryStats.None, await Store.GetStatsAsync(Orders, Now, default));
    }

    [Fact]
    public async Task AddCounts_SumsTotalsAndTheLastHour_PerScope()
    {
        var subscription = StatsScope.Subscription("orders");
        await Store.AddCountsAsync(
        [
            Delta(Orders, Now.AddMinutes(-10), new DeliveryCounts(5, 4, 1, 1, 0)),
            Delta(subscription, Now.AddMinutes(-10), new DeliveryCounts(1, 1, 0, 0, 0)),
        ], default);
        await Store.AddCountsAsync([Delta(Orders, Now.AddMinutes(-10), new DeliveryCounts(1, 0, 0, -1, 1))], default);
        await Store.AddCountsAsync([Delta(Orders, Now, new DeliveryCounts(2, 2, 0, 0, 0))], default);

        var stats = await Store.GetStatsAsync(Orders, Now.AddSeconds(30), default);

        Assert.Equal(new DeliveryCounts(8, 6, 1, 0, 1), stats.Total);
        Assert.Equal(new DeliveryCounts(8, 6, 1, 0, 1), stats.LastHour);
        Assert.Equal(new DeliveryCounts(1, 1, 0, 0, 0), (await Store.GetStatsAsync(subscription, Now, default)).Total);
    }

    [Fact]
    public async Task AddCounts_OfALargeFanOut_AddsEveryScope_WithTheSameScopeTwiceInOneFlush()
    {
        // A flush after a large fan-out holds a row per subscriber: more than one of the embedded store's batches
        // (1,000 rows a statement), and thousands of DynamoDB writes, which must not all be started at once.
        var subscribers = Enumerable.Range(0, 2_345).Select(i => StatsScope.Subscription($"s{i:D5}")).ToList();
        var failure = new LastOutcome(Now, "HTTP 503");
        await Store.AddCountsAsync(
        [
            .. subscribers.Select(scope => Delta(scope, Now, new DeliveryCounts(1, 1, 0, 0, 0), new LastOutcome(Now, null))),
            Delta(subscribers[^1], Now.AddMinutes(-1), new DeliveryCounts(1, 0, 1, 1, 0), null, failure),
        ], default);

        foreach (var scope in (StatsScope[])[subscribers[0], subscribers[999], subscribers[1000], subscribers[2000]])
        {
            var stats = await Store.GetStatsAsync(scope, Now.AddSeconds(30), default);
            Assert.Equal(new DeliveryCounts(1, 1, 0, 0, 0), stats.Total);
            Assert.Equal(Now, stats.LastSuccess?.At);
            Assert.Null(stats.LastFailure);
        }

        var last = await Store.GetStatsAsync(subscribers[^1], Now.AddSeconds(30), default);
        Assert.Equal(new DeliveryCounts(2, 1, 1, 1, 0), last.Total);
        Assert.Equal(new DeliveryCounts(2, 1, 1, 1, 0), last.LastHour);
        Assert.Equal("HTTP 503", last.LastFailure?.Error);
    }

    [Fact]
    public async Task GetStats_LastHour_LeavesOutOlderBucketsAndLaterOnes()
    {
        await Store.AddCountsAsync(
        [
            Delta(Orders, Now.AddMinutes(-90), new DeliveryCounts(100, 0, 0, 0, 0)),
            Delta(Orders, Now.AddMinutes(-60), new DeliveryCounts(10, 0, 0, 0, 0)),
            Delta(Orders, Now.AddMinutes(-59), new DeliveryCounts(1, 0, 0, 0, 0)),
            Delta(Orders, Now.AddSeconds(59), new DeliveryCounts(0, 1, 0, 0, 0)),
            Delta(Orders, Now.AddMinutes(1), new DeliveryCounts(0, 0, 7, 0, 0)),
        ], default);

        var stats = await Store.GetStatsAsync(Orders, Now.AddSeconds(30), default);

        Assert.Equal(new DeliveryCounts(111, 1, 7, 0, 0), stats.Total);
        Assert.Equal(new DeliveryCounts(1, 1, 0, 0, 0), stats.LastHour);
    }

    [Fact]
    public async Task LastSuccessAndFailure_TheLaterWins()
    {
        var success = new LastOutcome(Now.AddMinutes(2), null);
        var failure = new LastOutcome(Now.AddMinutes(3), "HTTP 500");
        await Store.AddCountsAsync([Delta(Orders, Now, new DeliveryCounts(0, 1, 0, 0, 0), success, failure)], default);

        await Store.AddCountsAsync([Delta(Orders, Now, new DeliveryCounts(0, 1, 0, 0, 0), new LastOutcome(Now.AddMinutes(1), null), new LastOutcome(Now, "HTTP 404"))], default);
        var afterEarlier = await Store.GetStatsAsync(Orders, Now, default);
        var laterFailure = new LastOutcome(Now.AddMinutes(4), "smtp 550 5.1.1");
        await Store.AddCountsAsync([Delta(Orders, Now, default, null, laterFailure)], default);
        var afterLater = await Store.GetStatsAsync(Orders, Now, default);

        Assert.Equal(success, afterEarlier.LastSuccess);
        Assert.Equal(failure, afterEarlier.LastFailure);
        Assert.Equal(new DeliveryCounts(0, 2, 0, 0, 0), afterLater.Total);
        Assert.Equal(success, afterLater.LastSuccess);
        Assert.Equal(laterFailure, afterLater.LastFailure);
    }

    [Fact]
    public async Task FailingSince_IsTheFirstFailureAfterTheLastSuccess()
    {
        LastOutcome Failure(int minutes) => new(Now.AddMinutes(minutes), "HTTP 500");
        LastOutcome Success(int minutes) => new(Now.AddMinutes(minutes), null);
        async Task<DateTimeOffset?> AfterAsync(LastOutcome? success, LastOutcome? failure)
        {
            await Store.AddCountsAsync([Delta(Orders, Now, default, success, failure)], default);
            return (await Store.GetStatsAsync(Orders, Now, default)).FailingSince;
        }

        Assert.Null(await AfterAsync(Success(1), null));
        Assert.Equal(Now.AddMinutes(2), await AfterAsync(null, Failure(2)));
        Assert.Equal(Now.AddMinutes(2), await AfterAsync(null, Failure(5)));

        // A success older than the run (a late flush of another process) does not end it.
        Assert.Equal(Now.AddMinutes(2), await AfterAsync(Success(1), Failure(6)));

        // A later success ends it; a failure after that success in the same flush starts the next.
        Assert.Null(await AfterAsync(Success(7), null));
        Assert.Equal(Now.AddMinutes(9), await AfterAsync(Success(8), Failure(9)));
        Assert.Null(await AfterAsync(Success(11), Failure(10)));
    }

    [Fact]
    public async Task DeleteStats_ForgetsTheScope_AndOnlyIt()
    {
        var subscription = StatsScope.Subscription("sub-a");
        await Store.AddCountsAsync(
        [
            Delta(Orders, Now, new DeliveryCounts(1, 1, 0, 0, 0), new LastOutcome(Now, null)),
            Delta(Orders, Now.AddMinutes(-5), new DeliveryCounts(1, 1, 0, 0, 0)),
            Delta(subscription, Now, new DeliveryCounts(1, 1, 0, 0, 0)),
        ], default);

        await Store.DeleteStatsAsync(Orders, default);

        Assert.Equal(DeliveryStats.None, await Store.GetStatsAsync(Orders, Now, default));
        Assert.Equal(new DeliveryCounts(1, 1, 0, 0, 0), (await Store.GetStatsAsync(subscription, Now, default)).Total);
    }

    [Fact]
    public async Task DeleteExpired_KeepsTheLastHoursBuckets()
    {
        await Store.AddCountsAsync([Delta(Orders, Now.AddMinutes(-30), new DeliveryCounts(3, 0, 0, 0, 0))], default);

        await Store.DeleteExpiredAsync(Now, default);

        Assert.Equal(new DeliveryCounts(3, 0, 0, 0, 0), (await Store.GetStatsAsync(Orders, Now, default)).LastHour);
    }

    protected static CountsDelta Delta(StatsScope scope, DateTimeOffset at, DeliveryCounts counts, LastOutcome? success = null, LastOutcome? failure = null) =>
        new(scope, at, counts, success, failure);
}
