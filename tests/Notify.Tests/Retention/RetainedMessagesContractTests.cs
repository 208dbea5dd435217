using Notify.Metadata.Deliveries;
using Notify.Metadata.Retention;
using Notify.Metadata.Store;

namespace Notify.Tests.Retention;

/// <summary>
/// The behaviour every <see cref="IRetainedMessages"/> must have, whatever its engine. Times are whole
/// milliseconds, as the stores keep them; ids are made as <see cref="Shared.Ids.SortableId"/> makes them.
/// </summary>
public abstract class RetainedMessagesContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    protected abstract IRetainedMessages Store { get; }

    /// <summary>The store's clock, which reads hide expired messages by: each engine's store must be built on it.</summary>
    protected FakeTimeProvider Clock { get; } = new(Now);

    [Fact]
    public async Task Keep_ThenList_ReturnsItAsKept()
    {
        var message = Message("orders", Now, 1);

        await Store.KeepAsync(message, default);

        var page = await Store.ListAsync("orders", Window(Now, Now.AddSeconds(1)), 10, null, default);
        Assert.Equal([message], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task List_WindowIsFromInclusiveToExclusive_InPublishOrder_OnlyTheTopics()
    {
        var messages = Enumerable.Range(0, 6).Select(i => Message("orders", Now.AddSeconds(i), i)).ToArray();
        foreach (var i in new[] { 4, 0, 5, 2, 1, 3 })
        {
            await Store.KeepAsync(messages[i], default);
        }

        await Store.KeepAsync(Message("invoices", Now.AddSeconds(2), 9), default);

        var page = await Store.ListAsync("orders", Window(Now.AddSeconds(1), Now.AddSeconds(4)), 10, null, default);

        Assert.Equal(messages[1..4].Select(m => m.MessageId), page.Items.Select(m => m.MessageId));
    }

    [Fact]
    public async Task List_PagesWithItsCursor_UntilTheWindowEnds()
    {
        var messages = Enumerable.Range(0, 5).Select(i => Message("orders", Now.AddSeconds(i), i)).ToArray();
        foreach (var message in messages)
        {
            await Store.KeepAsync(message, default);
        }

        var window = Window(Now, Now.AddMinutes(1));
        var first = await Store.ListAsync("orders", window, 2, null, default);
        var second = await Store.ListAsync("orders", window, 2, first.NextCursor, default);
        var third = await Store.ListAsync("orders", window, 2, second.NextCursor, default);

        Assert.Equal(messages[..2], first.Items);
        Assert.Equal(messages[2..4], second.Items);
        Assert.Equal(messages[4..], third.Items);
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task List_ExactlyAPage_HasNoNextCursor()
    {
        await Store.KeepAsync(Message("orders", Now, 1), default);
        await Store.KeepAsync(Message("orders", Now, 2), default);

        var page = await Store.ListAsync("orders", Window(Now, Now.AddSeconds(1)), 2, null, default);

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task List_CursorOfAnotherWindowOrTopic_IsRefused()
    {
        await Store.KeepAsync(Message("orders", Now, 1), default);
        await Store.KeepAsync(Message("orders", Now, 2), default);
        var window = Window(Now, Now.AddSeconds(1));
        var page = await Store.ListAsync("orders", window, 1, null, default);

        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAsync("orders", Window(Now, Now.AddSeconds(2)), 1, page.NextCursor, default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListAsync("invoices", window, 1, page.NextCursor, default));
    }

    /// <summary>A message is gone from the moment its expiry comes, by the store's clock, whether or not it is deleted yet.</summary>
    [Fact]
    public async Task List_LeavesOutExpiredMessages()
    {
        var early = Message("orders", Now, 1) with { ExpiresAt = Now.AddHours(1) };
        var late = Message("orders", Now.AddSeconds(1), 2) with { ExpiresAt = Now.AddHours(2) };
        await Store.KeepAsync(early, default);
        await Store.KeepAsync(late, default);
        var window = Window(Now, Now.AddMinutes(1));

        Clock.SetUtcNow(Now.AddHours(1));

        Assert.Equal([late], (await Store.ListAsync("orders", window, 10, null, default)).Items);

        Clock.SetUtcNow(Now.AddHours(2));

        Assert.Empty((await Store.ListAsync("orders", window, 10, null, default)).Items);
    }

    [Fact]
    public async Task Keep_SameMessageAgain_Replaces()
    {
        var message = Message("orders", Now, 1);
        await Store.KeepAsync(message, default);
        var again = message with { ExpiresAt = Now.AddDays(2) };

        await Store.KeepAsync(again, default);

        Assert.Equal([again], (await Store.ListAsync("orders", Window(Now, Now.AddSeconds(1)), 10, null, default)).Items);
    }

    protected static TimeWindow Window(DateTimeOffset from, DateTimeOffset to) => new(from, to);

    /// <summary>A message published at <paramref name="at"/>, with an id as the Frontend makes it then, kept a day.</summary>
    protected static RetainedMessage Message(string topic, DateTimeOffset at, int n) => new()
    {
        Topic = topic,
        MessageId = $"{at.ToUnixTimeMilliseconds() << 12:x15}{n:x17}",
        PublishedAt = at,
        Envelope = $$"""{"kind":"Notification","n":{{n}}}""",
        ExpiresAt = at.AddDays(1),
    };
}
