using Notify.Tests.Support;
using Notify.Metadata.Model;

namespace Notify.Tests.Metadata;

/// <summary>Settings that change after creation: a topic's display name and retention, a subscription's filter policy, its delivery error.</summary>
public abstract partial class MetadataStoreContractTests
{
    /// <summary>A filter policy of SNS's maximum size (16 KiB of JSON), which every store keeps as it is.</summary>
    private static readonly string LargestFilterPolicy = FilterPolicyOfLength(16 * 1024);

    [Fact]
    public async Task UpdateTopic_DisplayName_IsReadBackByGetAndList_AndNullClearsIt()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        Assert.Null((await Store.GetTopicAsync("orders", default))!.DisplayName); // a cache in front now holds the topic

        var updated = await Store.UpdateTopicAsync("orders", new TopicSettings("Orders — Ünïcode"), default);

        var expected = new Topic("orders", Now) { DisplayName = "Orders — Ünïcode" };
        Assert.Equal(expected, updated);
        Assert.Equal(expected, await Store.GetTopicAsync("orders", default));
        Assert.Equal([expected], (await Store.ListTopicsAsync(10, null, default)).Items);

        var cleared = await Store.UpdateTopicAsync("orders", new TopicSettings(null), default);

        Assert.Equal(new Topic("orders", Now), cleared);
        Assert.Equal(new Topic("orders", Now), await Store.GetTopicAsync("orders", default));
    }

    [Fact]
    public async Task CreateTopic_WithRetention_IsReadBackByGetAndList()
    {
        var topic = new Topic("orders", Now) { Retention = TimeSpan.FromDays(7) };

        var (created, isNew) = await Store.CreateTopicAsync(topic, default);

        Assert.True(isNew);
        Assert.Equal(topic, created);
        Assert.Equal(topic, await Store.GetTopicAsync("orders", default));
        Assert.Equal([topic], (await Store.ListTopicsAsync(10, null, default)).Items);
    }

    [Fact]
    public async Task CreateTopic_WithRetention_WhenTheNameIsTaken_ReturnsTheExistingTopicUnchanged()
    {
        await Store.CreateTopicAsync("orders", Now, default);

        var (again, created) = await Store.CreateTopicAsync(new Topic("orders", Now.AddMinutes(1)) { Retention = TimeSpan.FromHours(1) }, default);

        Assert.False(created);
        Assert.Equal(new Topic("orders", Now), again);
    }

    [Fact]
    public async Task UpdateTopic_Retention_IsReadBack_KeepsTheDisplayName_AndNullClearsIt()
    {
        await Store.CreateTopicAsync(new Topic("orders", Now) { Retention = TimeSpan.FromDays(30) }, default);
        Assert.Equal(TimeSpan.FromDays(30), (await Store.GetTopicAsync("orders", default))!.Retention); // a cache in front now holds the topic

        var updated = await Store.UpdateTopicAsync("orders", new TopicSettings("Orders", TimeSpan.FromSeconds(1)), default);

        var expected = new Topic("orders", Now) { DisplayName = "Orders", Retention = TimeSpan.FromSeconds(1) };
        Assert.Equal(expected, updated);
        Assert.Equal(expected, await Store.GetTopicAsync("orders", default));

        var cleared = await Store.UpdateTopicAsync("orders", new TopicSettings("Orders", null), default);

        Assert.Equal(expected with { Retention = null }, cleared);
        Assert.Equal(expected with { Retention = null }, await Store.GetTopicAsync("orders", default));
        Assert.Equal([expected with { Retention = null }], (await Store.ListTopicsAsync(10, null, default)).Items);
    }

    [Fact]
    public async Task UpdateTopic_OfMissingTopic_ReturnsNullAndCreatesNothing()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        await Store.DeleteTopicAsync("orders", default);

        Assert.Null(await Store.UpdateTopicAsync("missing", new TopicSettings("Missing"), default));
        Assert.Null(await Store.UpdateTopicAsync("orders", new TopicSettings("Orders"), default));
        Assert.Null(await Store.GetTopicAsync("missing", default));
        Assert.Null(await Store.GetTopicAsync("orders", default));
    }

    [Fact]
    public async Task CreateTopic_Again_KeepsTheDisplayNameSetSince()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        await Store.UpdateTopicAsync("orders", new TopicSettings("Orders"), default);

        var (again, created) = await Store.CreateTopicAsync("orders", Now.AddMinutes(1), default);

        Assert.False(created);
        Assert.Equal("Orders", again.DisplayName);
    }

    [Fact]
    public async Task FilterPolicy_GivenAtSubscribe_IsReadBackByEveryRead()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", filterPolicy: LargestFilterPolicy), default);
        var confirmed = await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);

        Assert.Equal(LargestFilterPolicy, subscription.FilterPolicy);
        Assert.Equal(LargestFilterPolicy, confirmed!.FilterPolicy);
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Equal([confirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal([confirmed], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, null, default)).Items);
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task UpdateSubscription_FilterPolicy_ReachesTheFanOutListAtOnce_AndNullClearsIt()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var confirmed = (await Store.ConfirmSubscriptionAsync(pending.Id, Now, default))!;
        Assert.Null(Assert.Single(await Store.GetConfirmedSubscriptionsAsync("orders", default)).FilterPolicy); // now cached

        var updated = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings("""{"kind":["refund"]}"""), default);

        var expected = confirmed with { FilterPolicy = """{"kind":["refund"]}""" };
        Assert.Equal(expected, updated);
        Assert.Equal(expected, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([expected], await Store.GetConfirmedSubscriptionsAsync("orders", default));

        var cleared = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings(null), default);

        Assert.Equal(confirmed, cleared);
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Equal([confirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
    }

    [Fact]
    public async Task UpdateSubscription_OfMissingOrDeletedSubscription_ReturnsNull()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);
        var settings = new SubscriptionSettings("""{"kind":["refund"]}""");

        Assert.Null(await Store.UpdateSubscriptionAsync(Guid.CreateVersion7().ToString("N"), settings, default));
        Assert.Null(await Store.UpdateSubscriptionAsync(subscription.Id, settings, default));
        Assert.Null(await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Empty((await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
    }

    [Fact]
    public async Task SetDeliveryError_Null_ClearsTheErrorFromEveryRead()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("alerts", "ops@mail.example", Protocol.Email), default);
        var confirmed = (await Store.ConfirmSubscriptionAsync(pending.Id, Now, default))!;
        await Store.SetDeliveryErrorAsync(pending.Id, new DeliveryError("5.1.1", "User unknown", Now), default);
        Assert.NotNull(Assert.Single(await Store.GetConfirmedSubscriptionsAsync("alerts", default)).LastDeliveryError); // now cached

        var cleared = await Store.SetDeliveryErrorAsync(pending.Id, null, default);

        Assert.Equal(confirmed, cleared);
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("alerts", default));
        Assert.Equal(confirmed, await Store.SetDeliveryErrorAsync(pending.Id, null, default));
    }

    [Fact]
    public async Task UpdateSubscription_AndSetDeliveryError_ChangeOnlyTheirOwnSetting()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("alerts", "+15551230001", Protocol.Sms, filterPolicy: """{"a":["b"]}"""), default);
        var error = new DeliveryError("21610", "Unsubscribed recipient", Now);

        await Store.SetDeliveryErrorAsync(subscription.Id, error, default);
        var updated = await Store.UpdateSubscriptionAsync(subscription.Id, new SubscriptionSettings("""{"c":["d"]}"""), default);

        Assert.Equal(subscription with { LastDeliveryError = error, FilterPolicy = """{"c":["d"]}""" }, updated);
    }

    private static string FilterPolicyOfLength(int length)
    {
        const string Head = "{\"kind\":[\"";
        const string Tail = "\"]}";
        return Head + new string('x', length - Head.Length - Tail.Length) + Tail;
    }
}
