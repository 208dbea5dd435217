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
        _store = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, Clock);
    }

    protected override IDeliveryStore Store => _store;

    [Fact]
    public async Task Reopen_KeepsWhatWasWritten()
    {
        var letter = Letter("sub-a", MessageIdAt(Now, 1));
        await _store.PutDeadLetterAsync(letter, default);

        var reopened = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, Clock);

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

    public void Dispose() => _directory.Dispose();
}
