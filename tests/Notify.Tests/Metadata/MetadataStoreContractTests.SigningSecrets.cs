using Notify.Metadata.Model;

namespace Notify.Tests.Metadata;

/// <summary>A webhook subscription's signing secrets: kept whole, in the Sender's fan-out, and never in a tombstone.</summary>
public abstract partial class MetadataStoreContractTests
{
    private static readonly SigningSecrets FirstSecrets = new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    [Fact]
    public async Task Subscribe_WithSigningSecrets_IsReadBackByGetListAndTheSubscriberPage()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a") with { SigningSecrets = FirstSecrets }, default);
        await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);

        Assert.Equal(FirstSecrets, subscription.SigningSecrets);
        Assert.Equal(FirstSecrets, (await Store.GetSubscriptionAsync(subscription.Id, default))!.SigningSecrets);
        Assert.Equal(FirstSecrets, Assert.Single((await Store.ListSubscriptionsAsync("orders", 10, null, default)).Items).SigningSecrets);
        Assert.Equal(FirstSecrets, Assert.Single((await Store.GetSubscriberPageAsync("orders", null, null, 10, default)).Subscribers).SigningSecrets);
    }

    [Fact]
    public async Task SetSigningSecrets_ReplacesThem_AndTheSubscriberPageSeesTheRotation()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a") with { SigningSecrets = FirstSecrets }, default);
        await Store.ConfirmSubscriptionAsync(subscription.Id, Now, default);
        Assert.Equal(FirstSecrets, Assert.Single((await Store.GetSubscriberPageAsync("orders", null, null, 10, default)).Subscribers).SigningSecrets); // a cache in front now holds the page
        var rotated = SigningSecrets.Rotate(FirstSecrets, "whsec_c2Vjb25kLXNlY3JldC1vZi10aGlydHktdHdvLWJ5dGU=", Now, TimeSpan.FromHours(24));

        var updated = await Store.SetSigningSecretsAsync(subscription.Id, rotated, default);

        Assert.Equal(rotated, updated!.SigningSecrets);
        Assert.Equal(rotated, (await Store.GetSubscriptionAsync(subscription.Id, default))!.SigningSecrets);
        Assert.Equal(rotated, Assert.Single((await Store.GetSubscriberPageAsync("orders", null, null, 10, default)).Subscribers).SigningSecrets);
    }

    [Fact]
    public async Task SetSigningSecrets_OfASubscriptionWithoutThem_GivesItItsFirst_AndOfAnUnknownIdReturnsNull()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.Null(subscription.SigningSecrets);

        Assert.Equal(subscription with { SigningSecrets = FirstSecrets }, await Store.SetSigningSecretsAsync(subscription.Id, FirstSecrets, default));
        Assert.Null(await Store.SetSigningSecretsAsync("no-such-id", FirstSecrets, default));
    }

    [Fact]
    public async Task DeleteSubscription_KeepsNoSigningSecretsInItsTombstone()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a") with { SigningSecrets = FirstSecrets }, default);

        var deleted = await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);
        var tombstone = await Store.GetDeletedSubscriptionAsync(subscription.Id, default);

        Assert.Equal(FirstSecrets, deleted!.SigningSecrets);
        Assert.Equal(subscription with { SigningSecrets = null }, tombstone!.Subscription);
    }
}
