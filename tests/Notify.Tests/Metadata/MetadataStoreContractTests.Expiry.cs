using Notify.Tests.Support;
using Notify.Metadata.Model;

namespace Notify.Tests.Metadata;

/// <summary>Tombstones of deleted subscriptions, and pending subscriptions that expire unconfirmed.</summary>
public abstract partial class MetadataStoreContractTests
{
    private static readonly TimeSpan ConfirmWindow = TimeSpan.FromHours(72);

    [Fact]
    public async Task DeleteSubscription_LeavesATombstoneWithTheSubscriptionAndTheTime()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", filterPolicy: """{"a":["b"]}"""), default);
        var confirmed = await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        var deletedAt = Now.AddHours(1);

        var deleted = await Store.DeleteSubscriptionAsync(pending.Id, deletedAt, default);

        Assert.Equal(confirmed, deleted);
        Assert.Equal(new DeletedSubscription(confirmed!, deletedAt), await Store.GetDeletedSubscriptionAsync(pending.Id, default));
        Assert.Null(await Store.GetSubscriptionAsync(pending.Id, default));
    }

    [Fact]
    public async Task GetDeletedSubscription_OfALiveOrUnknownId_ReturnsNull()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (live, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Assert.Null(await Store.GetDeletedSubscriptionAsync(live.Id, default));
        Assert.Null(await Store.GetDeletedSubscriptionAsync(Guid.CreateVersion7().ToString("N"), default));
    }

    [Fact]
    public async Task DeleteTopic_LeavesNoTombstonesOfItsSubscriptions()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        await Store.DeleteTopicAsync("orders", default);

        Assert.Null(await Store.GetDeletedSubscriptionAsync(subscription.Id, default));
    }

    [Fact]
    public async Task Tombstone_IsKeptForTheRetention_ThenGone()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);

        Clock.Advance(DeletedSubscription.Retention - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await Store.GetDeletedSubscriptionAsync(subscription.Id, default));

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await Store.GetDeletedSubscriptionAsync(subscription.Id, default));
    }

    [Fact]
    public async Task PendingSubscription_IsPresentUntilItsExpiry()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);

        Clock.Advance(ConfirmWindow - TimeSpan.FromMilliseconds(1));

        Assert.True(created);
        Assert.Equal(Now + ConfirmWindow, subscription.ExpiresAt);
        Assert.Equal(subscription, await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Equal([subscription], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal([subscription], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, null, default)).Items);
    }

    [Fact]
    public async Task ExpiredPendingSubscription_IsAbsentFromEveryReadAndWrite()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (expired, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);
        var (other, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b", expiresAt: Now + (2 * ConfirmWindow)), default);

        Clock.Advance(ConfirmWindow);

        Assert.Null(await Store.GetSubscriptionAsync(expired.Id, default));
        Assert.Equal([other], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal([other], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, null, default)).Items);
        Assert.Equal([other], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery("orders", Protocol.Webhook, SubscriptionStatus.Pending), 10, null, default)).Items);
        Assert.Null(await Store.ConfirmSubscriptionAsync(expired.Id, Clock.GetUtcNow(), default));
        Assert.Null(await Store.UpdateSubscriptionAsync(expired.Id, new SubscriptionSettings("""{"a":["b"]}"""), default));
        Assert.Null(await Store.SetDeliveryErrorAsync(expired.Id, new DeliveryError("500", "Refused", Now), default));
        Assert.Null(await Store.DeleteSubscriptionAsync(expired.Id, Clock.GetUtcNow(), default));
        Assert.Null(await Store.GetDeletedSubscriptionAsync(expired.Id, default));
        Assert.Empty(await Store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task Subscribe_OverAnExpiredPendingSubscription_ReplacesIt()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (expired, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);
        var (early, createdEarly) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);
        Clock.Advance(ConfirmWindow);
        var candidate = NewSubscription("orders", "https://hooks.example/a", expiresAt: Clock.GetUtcNow() + ConfirmWindow);

        var (renewed, created) = await Store.SubscribeAsync(candidate, default);

        Assert.False(createdEarly);
        Assert.Equal(expired, early);
        Assert.True(created);
        Assert.Equal(candidate, renewed);
        Assert.Equal(renewed, await Store.GetSubscriptionAsync(candidate.Id, default));
        Assert.Null(await Store.GetSubscriptionAsync(expired.Id, default));
        Assert.Null(await Store.ConfirmSubscriptionAsync(expired.Id, Clock.GetUtcNow(), default));
        Assert.Equal([renewed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.NotNull(await Store.ConfirmSubscriptionAsync(renewed.Id, Clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task ConfirmedSubscription_NeverExpires()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);

        var confirmed = await Store.ConfirmSubscriptionAsync(pending.Id, Now.AddHours(1), default);
        Clock.Advance(ConfirmWindow * 10);

        Assert.Null(confirmed!.ExpiresAt);
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Equal([confirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal(confirmed, await Store.ConfirmSubscriptionAsync(pending.Id, Clock.GetUtcNow(), default));
        var (again, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.False(created);
        Assert.Equal(confirmed, again);
    }

    [Fact]
    public async Task PendingSubscription_WithoutExpiry_NeverExpires()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Clock.Advance(TimeSpan.FromDays(3650));
        await Store.DeleteExpiredAsync(Clock.GetUtcNow(), default);

        Assert.Equal(pending, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.NotNull(await Store.ConfirmSubscriptionAsync(pending.Id, Clock.GetUtcNow(), default));
    }

    [Fact]
    public async Task DeleteExpired_KeepsWhatHasNotExpired()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now + ConfirmWindow), default);
        var (confirmed, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b", expiresAt: Now + ConfirmWindow), default);
        confirmed = (await Store.ConfirmSubscriptionAsync(confirmed.Id, Now, default))!;
        var (deleted, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/c"), default);
        await Store.DeleteSubscriptionAsync(deleted.Id, Now, default);
        Clock.Advance(ConfirmWindow - TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, await Store.DeleteExpiredAsync(Clock.GetUtcNow(), default));

        Assert.Equal(pending, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(confirmed.Id, default));
        Assert.NotNull(await Store.GetDeletedSubscriptionAsync(deleted.Id, default));
    }
}
