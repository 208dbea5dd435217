using Notify.Metadata.Model;

namespace Notify.Tests.Metadata;

/// <summary>The fan-out's reads: a topic's confirmed subscriptions a page at a time (<see cref="Notify.Metadata.Store.IMetadataStore.GetSubscriberPageAsync"/>).</summary>
public abstract partial class MetadataStoreContractTests
{
    [Fact]
    public async Task SubscriberPages_WalkEveryConfirmedSubscriptionOnce_InIdOrder_LeavingOutPendingOnes()
    {
        var confirmed = await ConfirmedSubscriptionsAsync("orders", 7);
        await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/pending"), default);
        await ConfirmedSubscriptionsAsync("other", 2);

        var pages = new List<SubscriberPage>();
        string? after = null;
        do
        {
            var page = await Store.GetSubscriberPageAsync("orders", after, null, 3, default);
            pages.Add(page);
            after = page.ContinueAfter;
        }
        while (after is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Subscribers.Count));
        Assert.Equal(confirmed.Select(s => s.Id), pages.SelectMany(p => p.Subscribers).Select(s => s.Id));
        Assert.Equal([confirmed[2].Id, confirmed[5].Id, null], pages.Select(p => p.ContinueAfter));
        Assert.All(pages, p => Assert.Equal(3, p.Limit));
    }

    [Fact]
    public async Task SubscriberPage_ThatEndsExactlyAtTheLastSubscription_SaysThereIsNoMore()
    {
        var confirmed = await ConfirmedSubscriptionsAsync("orders", 3);

        var page = await Store.GetSubscriberPageAsync("orders", null, null, 3, default);

        Assert.Equal(confirmed.Select(s => s.Id), page.Subscribers.Select(s => s.Id));
        Assert.Null(page.ContinueAfter);
    }

    /// <summary>A page of a split fan-out: the range after one id through another, whatever the limit.</summary>
    [Fact]
    public async Task SubscriberPage_OfARange_HoldsExactlyTheRange()
    {
        var confirmed = await ConfirmedSubscriptionsAsync("orders", 6);

        var middle = await Store.GetSubscriberPageAsync("orders", confirmed[1].Id, confirmed[4].Id, int.MaxValue, default);
        var head = await Store.GetSubscriberPageAsync("orders", null, confirmed[0].Id, int.MaxValue, default);
        var none = await Store.GetSubscriberPageAsync("orders", confirmed[4].Id, confirmed[4].Id, int.MaxValue, default);

        Assert.Equal(confirmed[2..5].Select(s => s.Id), middle.Subscribers.Select(s => s.Id));
        Assert.Null(middle.ContinueAfter);
        Assert.Equal(confirmed[0].Id, Assert.Single(head.Subscribers).Id);
        Assert.Empty(none.Subscribers);
    }

    [Fact]
    public async Task SubscriberPage_OfATopicThatDoesNotExist_IsEmpty()
    {
        var page = await Store.GetSubscriberPageAsync("nowhere", null, null, 10, default);

        Assert.Empty(page.Subscribers);
        Assert.Null(page.ContinueAfter);
    }

    private async Task<List<Subscription>> ConfirmedSubscriptionsAsync(string topic, int count)
    {
        await Store.CreateTopicAsync(topic, Now, default);
        var confirmed = new List<Subscription>();
        for (var i = 0; i < count; i++)
        {
            var (pending, _) = await Store.SubscribeAsync(NewSubscription(topic, $"https://hooks.example/{topic}/{i}"), default);
            confirmed.Add((await Store.ConfirmSubscriptionAsync(pending.Id, Now, default))!);
        }

        return [.. confirmed.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }
}
