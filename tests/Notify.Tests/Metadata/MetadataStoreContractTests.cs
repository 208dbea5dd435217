using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Tests.Support;

namespace Notify.Tests.Metadata;

/// <summary>
/// The behaviour every <see cref="IMetadataStore"/> must have, whatever its engine. The class is spread over
/// files by concern (<c>MetadataStoreContractTests.*.cs</c>).
/// </summary>
public abstract partial class MetadataStoreContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    protected abstract IMetadataStore Store { get; }

    /// <summary>The store's clock, which expiry goes by: each engine's store must be built on it.</summary>
    protected FakeTimeProvider Clock { get; } = new(Now);

    [Fact]
    public async Task CreateTopic_Twice_ReturnsExistingWithCreatedFalse()
    {
        var (first, created) = await Store.CreateTopicAsync("orders", Now, default);
        var (second, createdAgain) = await Store.CreateTopicAsync("orders", Now.AddMinutes(1), default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, second);
        Assert.Equal(Now, second.CreatedAt);
    }

    [Fact]
    public async Task GetTopic_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.GetTopicAsync("missing", default));
    }

    [Fact]
    public async Task ListTopics_PagesInNameOrderWithCursor()
    {
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            await Store.CreateTopicAsync(name, Now, default);
        }

        var first = await Store.ListTopicsAsync(2, null, default);
        var second = await Store.ListTopicsAsync(2, first.NextCursor, default);
        var third = await Store.ListTopicsAsync(2, second.NextCursor, default);

        Assert.Equal(["a", "b"], first.Items.Select(t => t.Name));
        Assert.Equal(["c", "d"], second.Items.Select(t => t.Name));
        Assert.Equal(["e"], third.Items.Select(t => t.Name));
        Assert.Null(third.NextCursor);
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("eA")]
    public async Task ListTopics_WithForeignCursor_ThrowsInvalidCursor(string cursor)
    {
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListTopicsAsync(10, cursor, default));
    }

    [Fact]
    public async Task ListSubscriptions_WithCursorOfAnotherTopic_ThrowsInvalidCursor()
    {
        await Store.CreateTopicAsync("a", Now, default);
        await Store.CreateTopicAsync("b", Now, default);
        await Store.SubscribeAsync(NewSubscription("a", "https://x.example/1"), default);
        await Store.SubscribeAsync(NewSubscription("a", "https://x.example/2"), default);
        var page = await Store.ListSubscriptionsAsync("a", 1, null, default);

        Assert.NotNull(page.NextCursor);
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListSubscriptionsAsync("b", 1, page.NextCursor, default));
    }

    [Fact]
    public async Task Subscribe_SameProtocolAndEndpoint_ReturnsExisting()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (first, created) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var (second, createdAgain) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
    }

    /// <summary>Hashes of tokens issued before derivation are kept through reads and into the tombstone; new subscriptions have none.</summary>
    [Fact]
    public async Task TokenHashes_AreKeptThroughReadsAndDelete()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var old = NewSubscription("orders", "https://hooks.example/old") with
        {
            ConfirmTokenHash = Notify.Shared.Links.LinkTokens.Hash("old-confirm"),
            UnsubscribeTokenHash = Notify.Shared.Links.LinkTokens.Hash("old-unsubscribe"),
        };
        var (kept, _) = await Store.SubscribeAsync(old, default);
        var (fresh, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/new"), default);

        Assert.Equal(old, kept);
        Assert.Equal(old, await Store.GetSubscriptionAsync(old.Id, default));
        Assert.Null((await Store.GetSubscriptionAsync(fresh.Id, default))!.ConfirmTokenHash);
        Assert.Null((await Store.GetSubscriptionAsync(fresh.Id, default))!.UnsubscribeTokenHash);
        Assert.Equal(old, await Store.DeleteSubscriptionAsync(old.Id, Now, default));
        Assert.Equal(old, (await Store.GetDeletedSubscriptionAsync(old.Id, default))!.Subscription);
    }

    [Fact]
    public async Task Subscribe_ToMissingTopic_ThrowsTopicNotFound()
    {
        var error = await Assert.ThrowsAsync<TopicNotFoundException>(
            () => Store.SubscribeAsync(NewSubscription("nope", "https://hooks.example/a"), default));
        Assert.Equal("nope", error.Topic);
    }

    [Fact]
    public async Task Confirm_MakesSubscriptionDeliverable_AndKeepsFirstConfirmationTime()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        Assert.Empty(await Store.GetConfirmedSubscriptionsAsync("orders", default));

        var confirmed = await Store.ConfirmSubscriptionAsync(pending.Id, Now.AddMinutes(1), default);
        var again = await Store.ConfirmSubscriptionAsync(pending.Id, Now.AddMinutes(2), default);

        Assert.Equal(SubscriptionStatus.Confirmed, confirmed!.Status);
        Assert.Equal(Now.AddMinutes(1), again!.ConfirmedAt);
        Assert.Equal([pending.Id], (await Store.GetConfirmedSubscriptionsAsync("orders", default)).Select(s => s.Id));
    }

    [Fact]
    public async Task Confirm_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.ConfirmSubscriptionAsync(Guid.CreateVersion7().ToString("N"), Now, default));
    }

    [Fact]
    public async Task DeleteTopic_RemovesItsSubscriptions()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);

        Assert.True(await Store.DeleteTopicAsync("orders", default));
        Assert.False(await Store.DeleteTopicAsync("orders", default));
        Assert.Null(await Store.GetTopicAsync("orders", default));
        Assert.Null(await Store.GetSubscriptionAsync(subscription.Id, default));
    }

    [Fact]
    public async Task DeleteSubscription_RemovesOnlyIt()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var (a, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/a"), default);
        var (b, _) = await Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/b"), default);

        Assert.Equal(a, await Store.DeleteSubscriptionAsync(a.Id, Now, default));
        Assert.Null(await Store.DeleteSubscriptionAsync(a.Id, Now, default));
        var remaining = await Store.ListSubscriptionsAsync("orders", 10, null, default);
        Assert.Equal([b.Id], remaining.Items.Select(s => s.Id));
    }

    [Fact]
    public async Task ListSubscriptions_PagesInCreationOrder()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (s, _) = await Store.SubscribeAsync(NewSubscription("orders", $"https://hooks.example/{i}"), default);
            ids.Add(s.Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListSubscriptionsAsync("orders", 2, cursor, default);
            seen.AddRange(page.Items.Select(s => s.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task ConcurrentIdenticalSubscribes_StoreOneSubscription()
    {
        await Store.CreateTopicAsync("orders", Now, default);
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Store.SubscribeAsync(NewSubscription("orders", "https://hooks.example/same"), default)));

        Assert.Single(results.Select(r => r.Subscription.Id).Distinct());
        Assert.Single(results, r => r.Created);
    }

    [Fact]
    public async Task SetDeliveryError_IsReadBackByEveryRead_AndChangesNothingElse()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        var (pending, _) = await Store.SubscribeAsync(NewSubscription("alerts", "+15551230001", Protocol.Sms), default);
        var confirmed = await Store.ConfirmSubscriptionAsync(pending.Id, Now, default);
        Assert.Null(confirmed!.LastDeliveryError);
        Assert.Single(await Store.GetConfirmedSubscriptionsAsync("alerts", default)); // a cache in front now holds the list
        var error = new DeliveryError("21610", "Attempt to send to unsubscribed recipient", Now.AddMinutes(5));

        var recorded = await Store.SetDeliveryErrorAsync(pending.Id, error, default);

        var expected = confirmed with { LastDeliveryError = error };
        Assert.Equal(expected, recorded);
        Assert.Equal(expected, await Store.GetSubscriptionAsync(pending.Id, default));
        Assert.Equal([expected], (await Store.ListSubscriptionsAsync("alerts", 10, null, default)).Items);
        Assert.Equal([expected], await Store.GetConfirmedSubscriptionsAsync("alerts", default));
    }

    [Fact]
    public async Task SetDeliveryError_Again_ReplacesTheEarlierError()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("alerts", "ops@mail.example", Protocol.Email), default);
        await Store.SetDeliveryErrorAsync(subscription.Id, new DeliveryError("5.1.1", "User unknown", Now), default);
        // Providers do not always explain a refusal: an empty detail must be stored as it is.
        var later = new DeliveryError("5.2.1", string.Empty, Now.AddHours(1));

        var recorded = await Store.SetDeliveryErrorAsync(subscription.Id, later, default);

        Assert.Equal(later, recorded!.LastDeliveryError);
        Assert.Equal(later, (await Store.GetSubscriptionAsync(subscription.Id, default))!.LastDeliveryError);
    }

    [Fact]
    public async Task SetDeliveryError_OfMissingOrDeletedSubscription_ReturnsNull()
    {
        await Store.CreateTopicAsync("alerts", Now, default);
        var (subscription, _) = await Store.SubscribeAsync(NewSubscription("alerts", "+15551230001", Protocol.Sms), default);
        await Store.DeleteSubscriptionAsync(subscription.Id, Now, default);
        var error = new DeliveryError("21610", "Unsubscribed recipient", Now);

        Assert.Null(await Store.SetDeliveryErrorAsync(Guid.CreateVersion7().ToString("N"), error, default));
        Assert.Null(await Store.SetDeliveryErrorAsync(subscription.Id, error, default));
        Assert.Null(await Store.GetSubscriptionAsync(subscription.Id, default));
        Assert.Empty((await Store.ListSubscriptionsAsync("alerts", 10, null, default)).Items);
    }

    [Fact]
    public async Task SmsOptOut_ReportsExactlyTheOptedOutNumbersAmongThoseAsked()
    {
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now, default);
        await Store.SetSmsOptOutAsync("+15551230002", optedOut: true, Now, default);
        await Store.SetSmsOptOutAsync("+15551230003", optedOut: true, Now, default);

        var optedOut = await Store.GetSmsOptedOutAsync(["+15551230001", "+15551230003", "+15551239999"], default);

        Assert.Equal(["+15551230001", "+15551230003"], optedOut.Order(StringComparer.Ordinal));
        Assert.Equal(["+15551230002"], await Store.GetSmsOptedOutAsync(["+15551230002"], default));
        Assert.Empty(await Store.GetSmsOptedOutAsync(["+15551239999"], default));
    }

    [Fact]
    public async Task SmsOptOut_OptingBackIn_RemovesTheNumber()
    {
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now, default);
        await Store.SetSmsOptOutAsync("+15551230002", optedOut: true, Now, default);

        await Store.SetSmsOptOutAsync("+15551230001", optedOut: false, Now.AddMinutes(1), default);

        Assert.Equal(["+15551230002"], await Store.GetSmsOptedOutAsync(["+15551230001", "+15551230002"], default));
    }

    [Fact]
    public async Task SmsOptOut_RepeatedEitherWay_IsIdempotent()
    {
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now, default);
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now.AddMinutes(1), default);
        Assert.Equal(["+15551230001"], await Store.GetSmsOptedOutAsync(["+15551230001"], default));

        await Store.SetSmsOptOutAsync("+15551230001", optedOut: false, Now.AddMinutes(2), default);
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: false, Now.AddMinutes(3), default);
        await Store.SetSmsOptOutAsync("+15551230002", optedOut: false, Now.AddMinutes(3), default);
        Assert.Empty(await Store.GetSmsOptedOutAsync(["+15551230001", "+15551230002"], default));

        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now.AddMinutes(4), default);
        Assert.Equal(["+15551230001"], await Store.GetSmsOptedOutAsync(["+15551230001"], default));
    }

    [Fact]
    public async Task GetSmsOptedOut_OfNoNumbers_IsEmpty()
    {
        await Store.SetSmsOptOutAsync("+15551230001", optedOut: true, Now, default);

        Assert.Empty(await Store.GetSmsOptedOutAsync([], default));
    }

    /// <summary>More numbers than one DynamoDB BatchGetItem may ask for (100), some of them twice.</summary>
    [Fact]
    public async Task GetSmsOptedOut_OfManyNumbersAtOnce_FindsEveryOptedOutOne()
    {
        var numbers = Enumerable.Range(0, 250).Select(i => $"+1555{i:D7}").ToArray();
        var optedOut = numbers.Where((_, i) => i % 7 == 0).Append(numbers[^1]).ToArray();
        foreach (var number in optedOut)
        {
            await Store.SetSmsOptOutAsync(number, optedOut: true, Now, default);
        }

        var found = await Store.GetSmsOptedOutAsync([.. numbers, .. numbers[..3]], default);

        Assert.Equal(optedOut.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    protected static Subscription NewSubscription(string topic, string endpoint, Protocol protocol = Protocol.Webhook,
        DateTimeOffset? expiresAt = null, string? filterPolicy = null, DeliveryPolicy? deliveryPolicy = null) => new()
    {
        Id = Notify.Shared.Ids.SortableId.New(TimeProvider.System),
        Topic = topic,
        Protocol = protocol,
        Endpoint = endpoint,
        Status = SubscriptionStatus.Pending,
        CreatedAt = Now,
        ExpiresAt = expiresAt,
        FilterPolicy = filterPolicy,
        DeliveryPolicy = deliveryPolicy,
    };
}
