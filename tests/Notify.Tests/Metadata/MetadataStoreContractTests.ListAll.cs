using Notify.Metadata.Model;
using Notify.Metadata.Store;

namespace Notify.Tests.Metadata;

/// <summary>The listing of subscriptions across topics.</summary>
public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task ListAll_OrdersByTopicThenCreation_AndPagesAcrossTopics()
    {
        // Created out of order: topics, and subscriptions interleaved across topics.
        foreach (var topic in new[] { "b", "c", "a" })
        {
            await Store.CreateTopicAsync(topic, Now, default);
        }

        var ids = new Dictionary<string, List<string>> { ["a"] = [], ["b"] = [], ["c"] = [] };
        foreach (var (topic, i) in new[] { ("b", 0), ("a", 1), ("b", 2), ("c", 3), ("a", 4), ("b", 5) })
        {
            ids[topic].Add((await Store.SubscribeAsync(NewSubscription(topic, $"https://hooks.example/{i}"), default)).Subscription.Id);
        }

        var pages = await ListAllPagesAsync(new SubscriptionQuery(), limit: 4);

        Assert.Equal([.. ids["a"], .. ids["b"], .. ids["c"]], pages.SelectMany(p => p.Items).Select(s => s.Id));
        Assert.Equal([4, 2], pages.Select(p => p.Items.Count));
        Assert.Equal(["a", "b"], pages[0].Items.Select(s => s.Topic).Distinct());
    }

    [Fact]
    public async Task ListAll_OnePerPage_VisitsEveryMatchOnceAndEndsWithNullCursor()
    {
        await Store.CreateTopicAsync("a", Now, default);
        await Store.CreateTopicAsync("b", Now, default);
        var expected = new List<string>();
        foreach (var topic in new[] { "a", "b" })
        {
            for (var i = 0; i < 3; i++)
            {
                expected.Add((await Store.SubscribeAsync(NewSubscription(topic, $"https://hooks.example/{topic}{i}"), default)).Subscription.Id);
            }
        }

        var pages = await ListAllPagesAsync(new SubscriptionQuery(), limit: 1);

        Assert.Equal(expected, pages.SelectMany(p => p.Items).Select(s => s.Id));
        Assert.Null(pages[^1].NextCursor);
    }

    [Fact]
    public async Task ListAll_FiltersByTopicProtocolAndStatus()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        await Store.CreateTopicAsync("orders", Now, default);
        var hook = await SubscribedAsync("alerts", "https://hooks.example/a", Protocol.Webhook, confirm: true);
        var mail = await SubscribedAsync("alerts", "ops@mail.example", Protocol.Email, confirm: false);
        var sms = await SubscribedAsync("alerts", "+15551230001", Protocol.Sms, confirm: true);
        var orderHook = await SubscribedAsync("orders", "https://hooks.example/o", Protocol.Webhook, confirm: false);
        var orderSms = await SubscribedAsync("orders", "+15551230002", Protocol.Sms, confirm: true);

        Assert.Equal([hook, mail, sms], await ListAllAsync(new SubscriptionQuery(Topic: "alerts")));
        Assert.Equal([hook, orderHook], await ListAllAsync(new SubscriptionQuery(Protocol: Protocol.Webhook)));
        Assert.Equal([mail, orderHook], await ListAllAsync(new SubscriptionQuery(Status: SubscriptionStatus.Pending)));
        Assert.Equal([sms, orderSms], await ListAllAsync(new SubscriptionQuery(Protocol: Protocol.Sms, Status: SubscriptionStatus.Confirmed)));
        Assert.Equal([orderSms], await ListAllAsync(new SubscriptionQuery("orders", Protocol.Sms, SubscriptionStatus.Confirmed)));
        Assert.Empty(await ListAllAsync(new SubscriptionQuery("orders", Protocol.Email)));
        Assert.Equal([hook, mail, sms, orderHook, orderSms], await ListAllAsync(new SubscriptionQuery()));
    }

    [Fact]
    public async Task ListAll_OfAnUnknownTopic_IsAnEmptyLastPage()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        var page = await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(Topic: "missing"), 10, null, default);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListAll_WithACursorOfAnotherListingOrQuery_ThrowsInvalidCursor()
    {
        await Store.CreateTopicAsync("a", Now, default);
        await Store.CreateTopicAsync("b", Now, default);
        await Store.SubscribeAsync(NewSubscription("a", "https://hooks.example/1"), default);
        await Store.SubscribeAsync(NewSubscription("a", "https://hooks.example/2"), default);
        var ofTopics = (await Store.ListTopicsAsync(1, null, default)).NextCursor;
        var ofTopic = (await Store.ListSubscriptionsAsync("a", 1, null, default)).NextCursor;
        var ofAll = (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 1, null, default)).NextCursor;
        Assert.All([ofTopics, ofTopic, ofAll], c => Assert.NotNull(c));

        foreach (var foreign in new[] { ofTopics, ofTopic, "not-base64!", "eA" })
        {
            await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, foreign, default));
        }

        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAllSubscriptionsAsync(new SubscriptionQuery(Protocol: Protocol.Webhook), 10, ofAll, default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListSubscriptionsAsync("a", 10, ofAll, default));
    }

    private async Task<Subscription> SubscribedAsync(string topic, string endpoint, Protocol protocol, bool confirm)
    {
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription(topic, endpoint, protocol), default);
        return confirm ? (await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default))! : subscription;
    }

    private async Task<List<Subscription>> ListAllAsync(SubscriptionQuery query) =>
        (await ListAllPagesAsync(query, limit: 2)).SelectMany(p => p.Items).ToList();

    /// <summary>Every page of the listing, each checked to hold at most <paramref name="limit"/> items.</summary>
    private async Task<List<Page<Subscription>>> ListAllPagesAsync(SubscriptionQuery query, int limit)
    {
        var pages = new List<Page<Subscription>>();
        string? cursor = null;
        do
        {
            var page = await Store.ListAllSubscriptionsAsync(query, limit, cursor, default);
            Assert.InRange(page.Items.Count, 0, limit);
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 100, "The listing never ended.");
        }
        while (cursor is not null);

        return pages;
    }
}
