using Microsoft.Data.Sqlite;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteMetadataStore _store;

    public SqliteMetadataStoreTests()
    {
        _store = new SqliteMetadataStore(_directory.File("metadata.db"), Clock);
    }

    protected override IMetadataStore Store => _store;

    [Fact]
    public async Task Reopen_KeepsTopicsAndSubscriptions()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        var (subscription, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        var reopened = new SqliteMetadataStore(_directory.File("metadata.db"), Clock);

        Assert.NotNull(await reopened.GetTopicAsync("orders", default));
        var stored = await reopened.GetSubscriptionAsync(subscription.Id, default);
        Assert.Equal(subscription, stored);
        Assert.Equal(SubscriptionStatus.Pending, stored!.Status);
    }

    /// <summary>
    /// A page of a large fan-out is read by a range of ids: SQLite must bound its index search by both ends,
    /// or each page scans to the end of the topic (a fan-out's reads grow with the square of its size).
    /// </summary>
    [Fact]
    public async Task SubscriberPage_WithAnUpperBound_SearchesOnlyItsRangeOfTheIndex()
    {
        await _store.CreateTopicAsync("orders", DateTimeOffset.UnixEpoch, default);
        await using var connection = new SqliteConnection($"Data Source={_directory.File("metadata.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteMetadataStore.SubscriberPageSql(bounded: true);
        foreach (var name in new[] { "$topic", "$after", "$through", "$limit" })
        {
            command.Parameters.AddWithValue(name, name == "$limit" ? -1 : "x");
        }

        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.Contains(plan, step => step.Contains("topic=? AND id>? AND id<?", StringComparison.Ordinal));
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>
    /// Expired pending subscriptions and old tombstones leave the file for good, counted; the rest stays.
    /// The deletes go by the time given, so the store's own clock (still earlier) shows they are gone
    /// from the file, not merely hidden by it.
    /// </summary>
    [Fact]
    public async Task DeleteExpired_DeletesExpiredPendingSubscriptionsAndOldTombstones_AndCountsThem()
    {
        await _store.CreateTopicAsync("orders", Now, default);
        var (expiring, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddDays(3)), default);
        var (later, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b", expiresAt: Now.AddDays(40)), default);
        var (unsubscribed, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/c"), default);
        await _store.DeleteSubscriptionAsync(unsubscribed.Id, Now, default);
        var (recent, _) = await _store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/d"), default);
        await _store.DeleteSubscriptionAsync(recent.Id, Now.AddDays(5), default);

        var deleted = await _store.DeleteExpiredAsync(Now + DeletedSubscription.Retention, default);

        Assert.Equal(2, deleted);
        Assert.Null(await _store.GetSubscriptionAsync(expiring.Id, default));
        Assert.Null(await _store.GetDeletedSubscriptionAsync(unsubscribed.Id, default));
        Assert.Equal(later, await _store.GetSubscriptionAsync(later.Id, default));
        Assert.NotNull(await _store.GetDeletedSubscriptionAsync(recent.Id, default));
        Assert.Equal(0, await _store.DeleteExpiredAsync(Now + DeletedSubscription.Retention, default));
    }

    /// <summary>
    /// Subscribes from many threads at once share transactions: each still resolves on its own (a repeat
    /// finds the first, an unknown topic fails alone) and every one is committed.
    /// </summary>
    [Fact]
    public async Task ConcurrentSubscribes_EachResolveAlone_AndAllCommit()
    {
        await _store.CreateTopicAsync("orders", Now, default);

        var calls = Enumerable.Range(0, 48)
            .Select(i => Task.Run(async () =>
            {
                try
                {
                    return await _store.SubscribeAsync(NewSubscription(i % 3 == 2 ? "missing" : "orders", $"https://hooks.example/{i / 3}"), default);
                }
                catch (TopicNotFoundException)
                {
                    return ((Subscription, bool)?)null;
                }
            }))
            .ToList();
        var results = await Task.WhenAll(calls);

        Assert.Equal(16, results.Count(r => r is null));
        var answered = results.OfType<(Subscription Subscription, bool Created)>().ToList();
        Assert.Equal(16, answered.Count(r => r.Created));
        Assert.All(answered.GroupBy(r => r.Subscription.Endpoint), pair => Assert.Single(pair.Select(r => r.Subscription.Id).Distinct()));
        var reopened = new SqliteMetadataStore(_directory.File("metadata.db"), Clock);
        var stored = await reopened.ListSubscriptionsAsync("orders", 100, null, default);
        Assert.Equal(16, stored.Items.Count);
    }

    public void Dispose() => _directory.Dispose();
}
