using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>DynamoDB's own side of expiry (its TTL attribute, the write order of confirm) and of the listing across topics.</summary>
public sealed partial class DynamoDbMetadataStoreTests
{
    /// <summary>
    /// While pending, the subscription item and its lookup carry the TTL attribute, in epoch seconds rounded
    /// up (DynamoDB never deletes them before readers count them expired); confirming removes it from both.
    /// </summary>
    [Fact]
    public async Task PendingSubscription_AndItsLookup_CarryTheTtlUntilConfirmed()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var expiresAt = Now.AddHours(72).AddMilliseconds(400);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: expiresAt), default);
        var expected = (expiresAt.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture);

        Assert.All(await ItemsOfAsync(subscription.Id), item => Assert.Equal(expected, item[MetadataKeys.TimeToLive].N));

        await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);

        Assert.All(await ItemsOfAsync(subscription.Id), item =>
        {
            Assert.False(item.ContainsKey(MetadataKeys.TimeToLive));
            Assert.False(item.ContainsKey(MetadataKeys.ExpiresAt));
        });
    }

    /// <summary>
    /// A confirm that crashed after its first step (the lookup's TTL removed, the subscription not yet
    /// confirmed) leaves a pending subscription that still expires, and is replaced like any expired one.
    /// </summary>
    [Fact]
    public async Task Confirm_CrashedAfterKeepingTheLookup_LeavesASubscriptionThatStillExpires()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddHours(72)), default);
        await _dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _dynamo.Names.Metadata,
            Key = MetadataKeys.Lookup(subscription.Id),
            UpdateExpression = "REMOVE #ttl",
            ExpressionAttributeNames = new() { ["#ttl"] = MetadataKeys.TimeToLive },
        });

        Clock.Advance(TimeSpan.FromHours(72));

        Assert.Null(await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Null(await Store.ConfirmSubscriptionAsync(subscription.Id, Clock.GetUtcNow(), default));
        var (renewed, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.True(created);
        Assert.Equal([renewed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
    }

    /// <summary>Confirming an expired subscription changes nothing: its lookup keeps the TTL that will delete it.</summary>
    [Fact]
    public async Task Confirm_OfAnExpiredSubscription_LeavesTheTtlOfItsLookup()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddHours(72)), default);
        Clock.Advance(TimeSpan.FromHours(73));

        Assert.Null(await Store.ConfirmSubscriptionAsync(subscription.Id, Clock.GetUtcNow(), default));

        Assert.All(await ItemsOfAsync(subscription.Id), item => Assert.True(item.ContainsKey(MetadataKeys.TimeToLive)));
    }

    /// <summary>A subscription replaced after it expired cannot be confirmed by its old link from a host whose clock is behind.</summary>
    [Fact]
    public async Task ConfirmFromAHostWhoseClockIsBehind_OfAReplacedSubscription_ReturnsNull()
    {
        var behind = new DynamoDbMetadataStore(_dynamo.Client, _dynamo.Names.Metadata, new FakeTimeProvider(Now));
        await Store.CreateTopicAsync("orders", Now, default);
        var (old, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddHours(72)), default);
        Clock.Advance(TimeSpan.FromHours(72));
        var (renewed, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Assert.True(created);
        Assert.Null(await behind.ConfirmSubscriptionAsync(old.Id, Now, default));
        Assert.Null(await behind.GetSubscriptionAsync(old.Id, default));
        Assert.Equal(renewed, await behind.GetSubscriptionAsync(renewed.Id, default));
        Assert.Null(await GetItemAsync(MetadataKeys.Lookup(old.Id)));
    }

    /// <summary>
    /// The tombstone's TTL is the end of its retention, and DeleteExpiredAsync leaves it to DynamoDB:
    /// it deletes nothing, even what has expired.
    /// </summary>
    [Fact]
    public async Task Tombstone_CarriesTheTtlOfItsRetention_AndDeleteExpiredLeavesItToDynamoDb()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);

        var tombstone = await GetItemAsync(MetadataKeys.Tombstone(subscription.Id));
        Assert.Equal((Now + DeletedSubscription.Retention).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), tombstone![MetadataKeys.TimeToLive].N);

        Assert.Equal(0, await Store.DeleteExpiredAsync(Now + DeletedSubscription.Retention + TimeSpan.FromDays(1), default));
        Assert.NotNull(await GetItemAsync(MetadataKeys.Tombstone(subscription.Id)));
        Assert.Null(await GetItemAsync(MetadataKeys.Lookup(subscription.Id)));
    }

    /// <summary>
    /// With a read budget of a few items, a query that matches little stops early: short (even empty) pages
    /// with a cursor, and still every match once, in order, when the cursors are followed to the end.
    /// </summary>
    [Fact]
    public async Task ListAll_WithASmallReadBudget_ReturnsShortPagesWithCursors_AndEveryMatch()
    {
        var budgeted = new DynamoDbMetadataStore(_dynamo.Client, _dynamo.Names.Metadata, Clock, listingReadBudget: 3);
        foreach (var topic in new[] { "a", "b", "c" })
        {
            await Store.CreateTopicAsync(topic, Now, default);
        }

        for (var i = 0; i < 5; i++)
        {
            await Store.SubscribeAsync(NewSubscription("a", $"https://hooks.example/{i}"), default);
        }

        var sms = new List<string>();
        foreach (var topic in new[] { "b", "c" })
        {
            await Store.SubscribeAsync(NewSubscription(topic, "https://hooks.example/x"), default);
            sms.Add((await Store.SubscribeAsync(NewSubscription(topic, "+15551230001", Protocol.Sms), default)).Subscription.Id);
        }

        var query = new SubscriptionQuery(Protocol: Protocol.Sms);
        var pages = new List<Page<Subscription>>();
        string? cursor = null;
        do
        {
            pages.Add(await budgeted.ListAllSubscriptionsAsync(query, 10, cursor, default));
            cursor = pages[^1].NextCursor;
        }
        while (cursor is not null && pages.Count < 50);

        Assert.Null(cursor);
        Assert.Equal(sms, pages.SelectMany(p => p.Items).Select(s => s.Id));
        Assert.Contains(pages, p => p.Items.Count == 0 && p.NextCursor is not null);
    }

    /// <summary>More topics than one query of the topic index returns: the listing follows the index's pages.</summary>
    [Fact]
    public async Task ListAll_OverMoreTopicsThanOneIndexPage_FindsEverySubscription()
    {
        var expected = new List<string>();
        foreach (var i in Enumerable.Range(0, 60))
        {
            var topic = $"t{i:D2}";
            await Store.CreateTopicAsync(topic, Now, default);
            if (i % 6 == 5)
            {
                expected.Add((await Store.SubscribeAsync(NewSubscription(topic, "https://hooks.example/a"), default)).Subscription.Id);
            }
        }

        var page = await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 100, null, default);

        Assert.Equal(expected, page.Items.Select(s => s.Id));
        Assert.Null(page.NextCursor);
    }
}
