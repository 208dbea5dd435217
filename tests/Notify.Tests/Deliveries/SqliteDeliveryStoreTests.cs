using Notify.Metadata.Deliveries;
using Notify.Metadata.Deliveries.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Deliveries;

public sealed class SqliteDeliveryStoreTests : DeliveryStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteDeliveryStore _store;

    public SqliteDeliveryStoreTests()
    {
        _store = new SqliteDeliveryStore(_directory.File("deliveries.db"), Clock);
    }

    protected override IDeliveryStore Store => _store;

    [Fact]
    public async Task Reopen_KeepsWhatWasWritten()
    {
        var letter = Letter("sub-a", MessageIdAt(Now, 1));
        await _store.PutDeadLetterAsync(letter, default);

        var reopened = new SqliteDeliveryStore(_directory.File("deliveries.db"), Clock);

        AssertSame(letter, await reopened.GetDeadLetterAsync("sub-a", letter.MessageId, default));
    }

    /// <summary>
    /// The sweep goes by the time given, so the store's own clock (still earlier) shows the rows are gone
    /// from the file, not merely hidden; old stats buckets go with them, the totals stay.
    /// </summary>
    [Fact]
    public async Task DeleteExpired_DeletesExpiredRowsAndOldBuckets_AndCountsThem()
    {
        var scope = StatsScope.Topic("orders");
        await _store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 1)) with { ExpiresAt = Now.AddDays(1) }, default);
        await _store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 2)) with { ExpiresAt = Now.AddDays(9) }, default);
        await _store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 3), Now.AddMinutes(1)) with { ExpiresAt = Now.AddDays(1) }, default);
        await _store.AddMessageOutcomeAsync(Outcome(MessageIdAt(Now, 1)) with { Subscribers = 1, ExpiresAt = Now.AddDays(1) }, default);
        await _store.AddCountsAsync([Delta(scope, Now, new DeliveryCounts(1, 0, 0, 0, 0))], default);

        var deleted = await _store.DeleteExpiredAsync(Now.AddDays(2), default);

        Assert.Equal(4, deleted);
        Assert.Null(await _store.GetDeadLetterAsync("sub-a", MessageIdAt(Now, 1), default));
        Assert.NotNull(await _store.GetDeadLetterAsync("sub-a", MessageIdAt(Now, 2), default));
        Assert.Null(await _store.NextAttemptOfSubscriptionAsync("sub-a", default));
        Assert.Null(await _store.GetMessageOutcomeAsync(MessageIdAt(Now, 1), default));
        var stats = await _store.GetStatsAsync(scope, Now, default);
        Assert.Equal(new DeliveryCounts(1, 0, 0, 0, 0), stats.Total);
        Assert.Equal(default, stats.LastHour);
        Assert.Equal(0, await _store.DeleteExpiredAsync(Now.AddDays(2), default));
    }

    [Fact]
    public async Task AddCounts_OfALargeFanOut_AddsEveryScope_WithTheSameScopeTwiceInOneFlush()
    {
        // A flush after a large fan-out holds a row per subscriber: more than one of this store's batches (1,000 rows a statement).
        var subscribers = Enumerable.Range(0, 2_345).Select(i => StatsScope.Subscription($"s{i:D5}")).ToList();
        var failure = new LastOutcome(Now, "HTTP 503");
        await _store.AddCountsAsync(
        [
            .. subscribers.Select(scope => Delta(scope, Now, new DeliveryCounts(1, 1, 0, 0, 0), new LastOutcome(Now, null))),
            Delta(subscribers[^1], Now.AddMinutes(-1), new DeliveryCounts(1, 0, 1, 1, 0), null, failure),
        ], default);

        foreach (var scope in (StatsScope[])[subscribers[0], subscribers[999], subscribers[1000], subscribers[2000]])
        {
            var stats = await _store.GetStatsAsync(scope, Now.AddSeconds(30), default);
            Assert.Equal(new DeliveryCounts(1, 1, 0, 0, 0), stats.Total);
            Assert.Equal(Now, stats.LastSuccess?.At);
            Assert.Null(stats.LastFailure);
        }

        var last = await _store.GetStatsAsync(subscribers[^1], Now.AddSeconds(30), default);
        Assert.Equal(new DeliveryCounts(2, 1, 1, 1, 0), last.Total);
        Assert.Equal(new DeliveryCounts(2, 1, 1, 1, 0), last.LastHour);
        Assert.Equal("HTTP 503", last.LastFailure?.Error);
    }

    public void Dispose() => _directory.Dispose();
}
