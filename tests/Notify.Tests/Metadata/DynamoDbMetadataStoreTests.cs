using Amazon.DynamoDBv2.Model;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Metadata.Store.DynamoDb;
using Notify.Tests.Support;
using Notify.TestServers;

namespace Notify.Tests.Metadata;

/// <summary>The metadata contract against dynalite, plus what only the DynamoDB design has to get right.</summary>
public sealed partial class DynamoDbMetadataStoreTests(DynaliteServer server) : MetadataStoreContractTests, IClassFixture<DynaliteServer>, IAsyncLifetime, IDisposable
{
    private readonly LocalDynamoDb _dynamo = new(server);
    private DynamoDbMetadataStore? _store;

    protected override IMetadataStore Store => _store!;

    public async Task InitializeAsync()
    {
        await _dynamo.Tables().EnsureCreatedAsync(default);
        _store = new DynamoDbMetadataStore(_dynamo.Client, Microsoft.Extensions.Options.Options.Create(_dynamo.Options), Clock);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dynamo.Dispose();

    [Fact]
    public async Task ConcurrentIdenticalSubscribes_FromSeveralStores_ListOneSubscription()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var stores = Enumerable.Range(0, 4).Select(_ => new DynamoDbMetadataStore(_dynamo.Client, _dynamo.Names.Metadata, Clock)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 40)
            .Select(i => stores[i % stores.Length].SubscribeAsync(NewSubscription("orders", "https://hooks.example/same"), default)));

        var winner = Assert.Single(results, r => r.Created).Subscription;
        Assert.All(results, r => Assert.Equal(winner, r.Subscription));
        var listed = await Store.ListSubscriptionsAsync("orders", 100, null, default);
        Assert.Equal([winner.Id], listed.Items.Select(s => s.Id));
        Assert.Equal(winner, await Store.GetSubscriptionAsync(winner.Id, default));
    }

    /// <summary>
    /// Items written before tokens were derived hold the plain random tokens: they read as those tokens'
    /// hashes, through a confirm (an UpdateItem, which keeps the attributes) and into the tombstone.
    /// </summary>
    [Fact]
    public async Task ItemWithPlainTokens_ReadsAsTheirHashes()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var pointer = MetadataItems.ReadLookup((await GetItemAsync(MetadataKeys.Lookup(subscription.Id)))!);
        await _dynamo.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = _dynamo.Names.Metadata,
            Key = pointer.SubscriptionKey,
            UpdateExpression = "SET confirmToken = :confirm, unsubscribeToken = :unsubscribe",
            ExpressionAttributeValues = new()
            {
                [":confirm"] = new AttributeValue { S = "plain-confirm" },
                [":unsubscribe"] = new AttributeValue { S = "plain-unsubscribe" },
            },
        });
        var expected = subscription with
        {
            ConfirmTokenHash = Notify.Shared.Links.LinkTokens.Hash("plain-confirm"),
            UnsubscribeTokenHash = Notify.Shared.Links.LinkTokens.Hash("plain-unsubscribe"),
        };

        Assert.Equal(expected, await Store.GetSubscriptionAsync(subscription.Id, default));
        var confirmed = await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);
        Assert.Equal(expected.UnsubscribeTokenHash, confirmed!.UnsubscribeTokenHash);
        await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);
        Assert.Equal(expected.UnsubscribeTokenHash, (await Store.GetDeletedSubscriptionAsync(subscription.Id, default))!.Subscription.UnsubscribeTokenHash);

        // The tombstone is written whole: the plain tokens are not copied into it.
        var tombstone = (await GetItemAsync(MetadataKeys.Tombstone(subscription.Id)))!;
        Assert.False(tombstone.ContainsKey(MetadataKeys.ConfirmToken));
        Assert.False(tombstone.ContainsKey(MetadataKeys.UnsubscribeToken));
        Assert.Equal(expected.ConfirmTokenHash, tombstone[MetadataKeys.ConfirmTokenHash].S);
    }

    /// <summary>
    /// Confirm is an UpdateItem, which would create a missing item: its condition must refuse a
    /// subscription whose item is gone while its lookup is still there (a delete between its two steps).
    /// </summary>
    [Fact]
    public async Task Confirm_OfDeletedSubscription_ReturnsNullAndRecreatesNothing()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var pointer = MetadataItems.ReadLookup((await GetItemAsync(MetadataKeys.Lookup(subscription.Id)))!);
        await _dynamo.Client.DeleteItemAsync(_dynamo.Names.Metadata, pointer.SubscriptionKey);

        Assert.Null(await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default));
        Assert.Null(await GetItemAsync(pointer.SubscriptionKey));
        Assert.Empty((await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
    }

    /// <summary>
    /// Recording an error is an UpdateItem too: the same condition must keep it from recreating the item of
    /// a subscription whose lookup outlived it.
    /// </summary>
    [Fact]
    public async Task SetDeliveryError_OfDeletedSubscription_ReturnsNullAndRecreatesNothing()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "+15551230001", Protocol.Sms), default);
        var pointer = MetadataItems.ReadLookup((await GetItemAsync(MetadataKeys.Lookup(subscription.Id)))!);
        await _dynamo.Client.DeleteItemAsync(_dynamo.Names.Metadata, pointer.SubscriptionKey);

        Assert.Null(await Store.SetDeliveryErrorAsync(subscription.Id, new DeliveryError("21610", "Unsubscribed recipient", Now), default));
        Assert.Null(await GetItemAsync(pointer.SubscriptionKey));
    }

    /// <summary>Opting back in deletes the number's item: the table holds opted-out numbers only.</summary>
    [Fact]
    public async Task SmsOptIn_DeletesTheOptOutItem_AndOptingOutAgainKeepsTheFirstTime()
    {
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now, default);
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now.AddMinutes(1), default);
        var item = await GetItemAsync(MetadataKeys.SmsOptOut("+15551230001"));
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item![MetadataKeys.OptedOutAt].N);

        await Store.SetSmsOptOutAsync("+15551230001", optedOut: false, Now.AddMinutes(2), default);

        Assert.Null(await GetItemAsync(MetadataKeys.SmsOptOut("+15551230001")));
    }

    /// <summary>
    /// A delete that crashed between removing the subscription and removing its lookup leaves the old
    /// id's lookup behind. Once the endpoint subscribes again, the old links must not reach the new one.
    /// </summary>
    [Fact]
    public async Task DeleteSubscription_CrashedBeforeItsLookup_OldIdNeitherFindsNorChangesTheNextSubscription()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (old, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var lookup = (await GetItemAsync(MetadataKeys.Lookup(old.Id)))!;
        await Store.DeleteSubscriptionAsync(old.Id, Now, default);
        await _dynamo.Client.PutItemAsync(_dynamo.Names.Metadata, lookup);

        var (renewed, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Assert.True(created);
        Assert.Null(await Store.GetSubscriptionAsync(old.Id, default));
        Assert.Null(await Store.ConfirmSubscriptionAsync(old.Id, Now, default));
        Assert.Null(await Store.DeleteSubscriptionAsync(old.Id, Now, default));
        Assert.Equal(renewed, await Store.GetSubscriptionAsync(renewed.Id, default));
    }

    [Fact]
    public async Task ListTopics_WithCursorOfSubscriptionListing_ThrowsInvalidCursor()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/1"), default);
        await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/2"), default);
        var page = await Store.ListSubscriptionsAsync("orders", 1, null, default);

        Assert.NotNull(page.NextCursor);
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListTopicsAsync(10, page.NextCursor, default));
    }

    [Fact]
    public async Task ListTopics_ExactlyFullLastPage_HasNoNextCursor()
    {
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            await Store.CreateTopicAsync(name, Now, default);
        }

        var first = await Store.ListTopicsAsync(2, null, default);
        var second = await Store.ListTopicsAsync(2, first.NextCursor, default);

        Assert.Equal(["c", "d"], second.Items.Select(t => t.Name));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Subscribe_EndpointLongerThanAKeyMayBe_IsStoredOnceUnderItsHash()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var endpoint = "https://hooks.example/" + new string('x', 2020);

        var (first, created) = await Store.SubscribeAsync(NewSubscription("orders", endpoint), default);
        var (second, createdAgain) = await Store.SubscribeAsync(NewSubscription("orders", endpoint), default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(endpoint, (await Store.GetSubscriptionAsync(first.Id, default))!.Endpoint);
    }

    [Fact]
    public async Task DeleteTopic_WithMoreSubscriptionsThanOneBatch_RemovesTheirItems()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var ids = new List<string>();
        foreach (var i in Enumerable.Range(0, 30))
        {
            ids.Add((await Store.SubscribeAsync(NewSubscription("orders", $"https://hooks.example/{i}"), default)).Subscription.Id);
        }

        var incarnation = (await GetItemAsync(MetadataKeys.Topic("orders")))![MetadataKeys.Incarnation].S;

        Assert.True(await Store.DeleteTopicAsync("orders", default));

        var left = await _dynamo.Client.QueryAsync(new QueryRequest
        {
            TableName = _dynamo.Names.Metadata,
            ConsistentRead = true,
            KeyConditionExpression = "pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = MetadataKeys.SubscriptionsOf("orders", incarnation) } },
        });
        Assert.Empty(left.Items ?? []);
        foreach (var id in ids)
        {
            Assert.Null(await GetItemAsync(MetadataKeys.Lookup(id)));
        }
    }

    /// <summary>
    /// A crash in the middle of deleting a topic (or a subscribe racing the delete) leaves subscription
    /// items behind. Put them back by hand, as that crash would have left them, and create the topic again:
    /// the new topic must not inherit them, nor may they be reachable by id.
    /// </summary>
    [Fact]
    public async Task DeleteTopic_LeftoversOfACrashedSweep_NeverReachTheRecreatedTopic()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);
        var leftovers = await ItemsOfAsync(subscription.Id);

        await Store.DeleteTopicAsync("orders", default);
        foreach (var item in leftovers)
        {
            await _dynamo.Client.PutItemAsync(_dynamo.Names.Metadata, item);
        }

        await Store.CreateTopicAsync("orders", Now, default);

        Assert.Empty((await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Empty(await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Null(await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Null(await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default));
        Assert.Null(await Store.SetDeliveryErrorAsync(subscription.Id, new DeliveryError("500", "Refused", Now), default));
        var (renewed, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.True(created);
        Assert.NotEqual(subscription.Id, renewed.Id);
    }

    /// <summary>
    /// A subscribe that lost the race for an endpoint, and crashed before it could remove its lookup,
    /// leaves a lookup pointing at the winner's item. Its id must neither find nor change the winner.
    /// </summary>
    [Fact]
    public async Task LookupOfALosingSubscribe_NeitherFindsNorChangesTheWinner()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (winner, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var loser = NewSubscription("orders", "https://hooks.example/a");
        var incarnation = (await GetItemAsync(MetadataKeys.Topic("orders")))![MetadataKeys.Incarnation].S;
        await _dynamo.Client.PutItemAsync(_dynamo.Names.Metadata, MetadataItems.LookupItem(loser, incarnation));

        Assert.Null(await Store.GetSubscriptionAsync(loser.Id, default));
        Assert.Null(await Store.ConfirmSubscriptionAsync(loser.Id, Now, default));
        Assert.Null(await Store.SetDeliveryErrorAsync(loser.Id, new DeliveryError("500", "Refused", Now), default));
        Assert.Null(await Store.DeleteSubscriptionAsync(loser.Id, Now, default));
        Assert.Equal(winner, await Store.GetSubscriptionAsync(winner.Id, default));
        Assert.Equal([winner.Id], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items.Select(s => s.Id));
    }

    private async Task<Dictionary<string, AttributeValue>?> GetItemAsync(Dictionary<string, AttributeValue> key) =>
        (await _dynamo.Client.GetItemAsync(_dynamo.Names.Metadata, key, consistentRead: true)).Item is { Count: > 0 } item ? item : null;

    /// <summary>The subscription item and the lookup item of a subscription, as stored.</summary>
    private async Task<List<Dictionary<string, AttributeValue>>> ItemsOfAsync(string subscriptionId)
    {
        var lookup = (await GetItemAsync(MetadataKeys.Lookup(subscriptionId)))!;
        var pointer = MetadataItems.ReadLookup(lookup);
        return [(await GetItemAsync(pointer.SubscriptionKey))!, lookup];
    }
}
