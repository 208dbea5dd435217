using Notify.Metadata.Deliveries;

namespace Notify.Tests.Deliveries;

/// <summary>Scheduled retries and message outcomes.</summary>
public abstract partial class DeliveryStoreContractTests
{
    [Fact]
    public async Task PutRetry_ListedByMessage_OnlyThatMessages()
    {
        var message = MessageIdAt(Now, 1);
        var a = Retry("sub-a", message, Now.AddMinutes(5));
        var b = Retry("sub-b", message, Now.AddMinutes(1));
        await Store.PutRetryAsync(a, default);
        await Store.PutRetryAsync(b, default);
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 2), Now.AddMinutes(2)), default);

        var retries = await Store.ListRetriesOfMessageAsync(message, 10, default);

        Assert.Equal([a, b], retries.OrderBy(r => r.SubscriptionId));
    }

    [Fact]
    public async Task ListRetriesOfMessage_StopsAtTheLimit()
    {
        var message = MessageIdAt(Now, 1);
        foreach (var subscription in new[] { "sub-a", "sub-b", "sub-c" })
        {
            await Store.PutRetryAsync(Retry(subscription, message, Now.AddMinutes(1)), default);
        }

        Assert.Equal(2, (await Store.ListRetriesOfMessageAsync(message, 2, default)).Count);
    }

    [Fact]
    public async Task PutRetry_SameSubscriptionAndMessage_Replaces()
    {
        var message = MessageIdAt(Now, 1);
        await Store.PutRetryAsync(Retry("sub-a", message, Now.AddMinutes(1)), default);
        var later = Retry("sub-a", message, Now.AddMinutes(30)) with { NextAttempt = 4, LastError = "HTTP 503" };

        await Store.PutRetryAsync(later, default);

        Assert.Equal([later], await Store.ListRetriesOfMessageAsync(message, 10, default));
        Assert.Equal(later.NextAttemptAt, await Store.NextAttemptOfSubscriptionAsync("sub-a", default));
    }

    [Fact]
    public async Task NextAttemptOfSubscription_IsTheEarliestOfItsRetries()
    {
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 1), Now.AddMinutes(30)), default);
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 2), Now.AddMinutes(5)), default);
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 3), Now.AddMinutes(10)), default);
        await Store.PutRetryAsync(Retry("sub-b", MessageIdAt(Now, 4), Now.AddMinutes(1)), default);

        Assert.Equal(Now.AddMinutes(5), await Store.NextAttemptOfSubscriptionAsync("sub-a", default));
        Assert.Null(await Store.NextAttemptOfSubscriptionAsync("sub-c", default));
    }

    [Fact]
    public async Task DeleteRetry_ForgetsIt_AndIsIdempotent()
    {
        var message = MessageIdAt(Now, 1);
        await Store.PutRetryAsync(Retry("sub-a", message, Now.AddMinutes(1)), default);
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 2), Now.AddMinutes(9)), default);

        await Store.DeleteRetryAsync("sub-a", message, default);
        await Store.DeleteRetryAsync("sub-a", message, default);

        Assert.Empty(await Store.ListRetriesOfMessageAsync(message, 10, default));
        Assert.Equal(Now.AddMinutes(9), await Store.NextAttemptOfSubscriptionAsync("sub-a", default));
    }

    [Fact]
    public async Task Retry_Expired_IsIgnored()
    {
        var message = MessageIdAt(Now, 1);
        await Store.PutRetryAsync(Retry("sub-a", message, Now.AddMinutes(1)) with { ExpiresAt = Now.AddHours(1) }, default);
        await Store.PutRetryAsync(Retry("sub-a", MessageIdAt(Now, 2), Now.AddMinutes(3)) with { ExpiresAt = Now.AddHours(3) }, default);

        Clock.Advance(TimeSpan.FromHours(2));

        Assert.Empty(await Store.ListRetriesOfMessageAsync(message, 10, default));
        Assert.Equal(Now.AddMinutes(3), await Store.NextAttemptOfSubscriptionAsync("sub-a", default));
    }

    [Fact]
    public async Task AddMessageOutcome_AddsCounts_KeepingTheFirstTopicAndTimes()
    {
        var message = MessageIdAt(Now, 1);
        var fanOut = Outcome(message) with { Subscribers = 3, Delivered = 1, Retrying = 2 };
        await Store.AddMessageOutcomeAsync(fanOut, default);

        await Store.AddMessageOutcomeAsync(Outcome(message) with { Topic = "other", PublishedAt = Now.AddHours(1), ExpiresAt = Now.AddDays(30), Retrying = -1, DeadLettered = 1 }, default);

        Assert.Equal(fanOut with { Retrying = 1, DeadLettered = 1 }, await Store.GetMessageOutcomeAsync(message, default));
    }

    [Fact]
    public async Task AddMessageOutcome_FromConcurrentCallers_AddsEveryCount()
    {
        var message = MessageIdAt(Now, 1);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Store.AddMessageOutcomeAsync(
            i % 2 == 0 ? Outcome(message) with { Subscribers = 1, Delivered = 1 } : Outcome(message) with { Retrying = 1, DeadLettered = 2 },
            default))));

        var stored = await Store.GetMessageOutcomeAsync(message, default);
        Assert.Equal(Outcome(message) with { Subscribers = 20, Delivered = 20, Retrying = 20, DeadLettered = 40 }, stored);
    }

    [Fact]
    public async Task GetMessageOutcome_UnknownOrExpired_IsNull()
    {
        var message = MessageIdAt(Now, 1);
        await Store.AddMessageOutcomeAsync(Outcome(message) with { Subscribers = 1 }, default);

        Assert.Null(await Store.GetMessageOutcomeAsync(MessageIdAt(Now, 2), default));
        Assert.NotNull(await Store.GetMessageOutcomeAsync(message, default));
        Clock.Advance(TimeSpan.FromDays(7));
        Assert.Null(await Store.GetMessageOutcomeAsync(message, default));
    }

    /// <summary>After a sweep at a time past their expiry, reads at that time find none of the expired records; the rest stay.</summary>
    [Fact]
    public async Task DeleteExpired_LeavesLiveRecords_AndExpiredOnesStayAbsent()
    {
        var old = Letter("sub-a", MessageIdAt(Now, 1)) with { ExpiresAt = Now.AddDays(1) };
        var live = Letter("sub-a", MessageIdAt(Now, 2)) with { ExpiresAt = Now.AddDays(30) };
        await Store.PutDeadLetterAsync(old, default);
        await Store.PutDeadLetterAsync(live, default);
        await Store.PutRetryAsync(Retry("sub-a", old.MessageId, Now.AddMinutes(1)) with { ExpiresAt = Now.AddDays(1) }, default);
        await Store.AddMessageOutcomeAsync(Outcome(old.MessageId) with { Subscribers = 1, ExpiresAt = Now.AddDays(1) }, default);
        await Store.AddMessageOutcomeAsync(Outcome(live.MessageId) with { Subscribers = 1, ExpiresAt = Now.AddDays(30) }, default);

        Clock.Advance(TimeSpan.FromDays(2));
        var deleted = await Store.DeleteExpiredAsync(Clock.GetUtcNow(), default);

        Assert.True(deleted >= 0);
        Assert.Null(await Store.GetDeadLetterAsync("sub-a", old.MessageId, default));
        Assert.Null(await Store.GetMessageOutcomeAsync(old.MessageId, default));
        Assert.Empty(await Store.ListRetriesOfMessageAsync(old.MessageId, 10, default));
        AssertSame(live, await Store.GetDeadLetterAsync("sub-a", live.MessageId, default));
        Assert.NotNull(await Store.GetMessageOutcomeAsync(live.MessageId, default));
    }

    protected static ScheduledRetry Retry(string subscriptionId, string messageId, DateTimeOffset nextAttemptAt) =>
        new(subscriptionId, messageId, "orders", 2, nextAttemptAt, "HTTP 500", Now.AddDays(2));

    protected static MessageOutcome Outcome(string messageId) => new()
    {
        MessageId = messageId,
        Topic = "orders",
        PublishedAt = Now,
        ExpiresAt = Now.AddDays(7),
    };
}
