using Notify.Tests.Support;
using Notify.Metadata.Model;

namespace Notify.Tests.Metadata;

/// <summary>A subscription's delivery policy, and disabling and enabling it (<see cref="Notify.Metadata.Store.IMetadataStore.SetDisabledAsync"/>).</summary>
public abstract partial class MetadataStoreContractTests
{
    private static readonly DeliveryPolicy FullPolicy = new([0, 5, 86_400], 0.25);
    private static readonly DeliveryError Gone = new("410", "Gone", Now.AddHours(1));

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task DeliveryPolicy_GivenAtSubscribe_IsReadBackByEveryRead(DeliveryPolicy policy)
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", deliveryPolicy: policy), default);
        var confirmed = await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);

        Assert.Equal(policy, subscription.DeliveryPolicy);
        Assert.Equal(policy, confirmed!.DeliveryPolicy);
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Equal([confirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal([confirmed], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(), 10, null, default)).Items);
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    /// <summary>Each member alone, both, and a schedule of no retry (empty, which is not the same as none).</summary>
    public static TheoryData<DeliveryPolicy> Policies() =>
    [
        FullPolicy,
        new([], null),
        new([30], null),
        new(null, 10_000),
        new(null, 0.01),
    ];

    [Fact]
    public async Task UpdateSubscription_DeliveryPolicy_ReachesTheFanOutListAtOnce_AndNullClearsIt()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", filterPolicy: """{"a":["b"]}"""), default);
        var confirmed = (await Store.ConfirmSubscriptionAsync(pending.Id, Now, default))!;
        Assert.Null(Assert.Single(await Store.GetConfirmedSubscriptionsAsync("orders", default)).DeliveryPolicy); // now cached

        var updated = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings("""{"a":["b"]}""", FullPolicy), default);

        var expected = confirmed with { DeliveryPolicy = FullPolicy };
        Assert.Equal(expected, updated);
        Assert.Equal(expected, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([expected], await Store.GetConfirmedSubscriptionsAsync("orders", default));

        var replaced = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings(null, new DeliveryPolicy(null, 2)), default);

        Assert.Equal(confirmed with { FilterPolicy = null, DeliveryPolicy = new DeliveryPolicy(null, 2) }, replaced);

        var cleared = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings("""{"a":["b"]}""", null), default);

        Assert.Equal(confirmed, cleared);
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Equal([confirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
    }

    [Fact]
    public async Task SetDisabled_OfConfirmed_DisablesIt_LeavesTheFanOutList_AndIsListedByStatus()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", deliveryPolicy: FullPolicy), default);
        var (other, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b"), default);
        var confirmed = (await Store.ConfirmSubscriptionAsync(pending.Id, Now, default))!;
        var stillConfirmed = (await Store.ConfirmSubscriptionAsync(other.Id, Now, default))!;
        Assert.Equal(2, (await Store.GetConfirmedSubscriptionsAsync("orders", default)).Count); // now cached

        var disabled = await Store.SetDisabledAsync(pending.Id, Gone, default);

        var expected = confirmed with { Status = SubscriptionStatus.Disabled, DisabledReason = Gone };
        Assert.Equal(expected, disabled);
        Assert.Equal(expected, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([stillConfirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Equal([expected, stillConfirmed], (await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items);
        Assert.Equal([expected], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(Status: SubscriptionStatus.Disabled), 10, null, default)).Items);
        Assert.Equal([stillConfirmed], (await Store.ListAllSubscriptionsAsync(new SubscriptionQuery(Status: SubscriptionStatus.Confirmed), 10, null, default)).Items);
    }

    [Fact]
    public async Task SetDisabled_Twice_KeepsTheFirstReason()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        var first = await Store.SetDisabledAsync(pending.Id, Gone, default);

        var again = await Store.SetDisabledAsync(pending.Id, new DeliveryError("timeout", "No success for 3 days", Now.AddDays(3)), default);

        Assert.Equal(first, again);
        Assert.Equal(Gone, again!.DisabledReason);
    }

    [Fact]
    public async Task SetDisabled_Null_EnablesADisabledSubscription_BackIntoTheFanOutList_ConfirmedAgainNow()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        await Store.SetDisabledAsync(pending.Id, Gone, default);
        Assert.Empty(await Store.GetConfirmedSubscriptionsAsync("orders", default)); // now cached

        // Enabling counts as confirming again: DisableAfter counts from then, not from the first confirmation.
        Clock.Advance(TimeSpan.FromDays(6));
        var enabled = await Store.SetDisabledAsync(pending.Id, null, default);

        var confirmed = pending with
        {
            Status = SubscriptionStatus.Confirmed,
            ConfirmedAt = Clock.GetUtcNow(),
            ExpiresAt = null,
        };

        Assert.Equal(confirmed, enabled);
        Assert.Equal(confirmed, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([confirmed], await Store.GetConfirmedSubscriptionsAsync("orders", default));
        Assert.Equal(confirmed, await Store.SetDisabledAsync(pending.Id, null, default));
    }

    [Fact]
    public async Task SetDisabled_OfPending_ReturnsItUnchanged_EitherWay()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a", expiresAt: Now.AddDays(1)), default);

        Assert.Equal(pending, await Store.SetDisabledAsync(pending.Id, Gone, default));
        Assert.Equal(pending, await Store.SetDisabledAsync(pending.Id, null, default));
        Assert.Equal(pending, await Store.GetSubscriptionAsync(pending.Id, default));
    }

    [Fact]
    public async Task SetDisabled_OfMissingDeletedOrExpired_ReturnsNull()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (deleted, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.DeleteSubscriptionAsync(deleted.Id, Now, default);
        var (expired, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b", expiresAt: Now.AddMinutes(1)), default);
        Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Null(await Store.SetDisabledAsync(Guid.CreateVersion7().ToString("N"), Gone, default));
        Assert.Null(await Store.SetDisabledAsync(deleted.Id, Gone, default));
        Assert.Null(await Store.SetDisabledAsync(expired.Id, null, default));
    }

    [Fact]
    public async Task Confirm_OfDisabled_LeavesItDisabled()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        var disabled = await Store.SetDisabledAsync(pending.Id, Gone, default);

        Assert.Equal(disabled, await Store.ConfirmSubscriptionAsync(pending.Id, Now.AddDays(1), default));
        Assert.Equal(disabled, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Empty(await Store.GetConfirmedSubscriptionsAsync("orders", default));
    }

    [Fact]
    public async Task DisabledSubscription_KeepsItsStateInItsTombstone_AndSettingsChangesKeepItDisabled()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        await Store.SetDisabledAsync(pending.Id, Gone, default);

        var updated = await Store.UpdateSubscriptionAsync(pending.Id, new SubscriptionSettings(null, FullPolicy), default);
        var deleted = await Store.DeleteSubscriptionAsync(pending.Id, Now.AddHours(2), default);

        Assert.Equal(SubscriptionStatus.Disabled, updated!.Status);
        Assert.Equal(Gone, updated.DisabledReason);
        Assert.Equal(FullPolicy, updated.DeliveryPolicy);
        Assert.Equal(updated, deleted);
        Assert.Equal(new DeletedSubscription(updated, Now.AddHours(2)), await Store.GetDeletedSubscriptionAsync(pending.Id, default));
    }
}
