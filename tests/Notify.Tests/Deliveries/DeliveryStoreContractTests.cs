using Notify.Metadata.Deliveries;
using Notify.Metadata.Store;
using Notify.Shared.Messages;

namespace Notify.Tests.Deliveries;

/// <summary>
/// The behaviour every <see cref="IDeliveryStore"/> must have, whatever its engine; spread over files by
/// concern (<c>DeliveryStoreContractTests.*.cs</c>). Times are whole milliseconds, as the stores keep them.
/// </summary>
public abstract partial class DeliveryStoreContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    protected abstract IDeliveryStore Store { get; }

    /// <summary>The store's clock, which reads hide expired items by: each engine's store must be built on it.</summary>
    protected FakeTimeProvider Clock { get; } = new(Now);

    [Fact]
    public async Task PutDeadLetter_ThenGet_ReturnsItAsPut()
    {
        var letter = Letter("sub-a", MessageIdAt(Now, 1), permanent: true);

        await Store.PutDeadLetterAsync(letter, default);

        AssertSame(letter, await Store.GetDeadLetterAsync("sub-a", letter.MessageId, default));
    }

    [Fact]
    public async Task GetDeadLetter_Unknown_ReturnsNull()
    {
        await Store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 1)), default);

        Assert.Null(await Store.GetDeadLetterAsync("sub-a", MessageIdAt(Now, 2), default));
        Assert.Null(await Store.GetDeadLetterAsync("sub-b", MessageIdAt(Now, 1), default));
    }

    [Fact]
    public async Task PutDeadLetter_SameSubscriptionAndMessage_Replaces()
    {
        var id = MessageIdAt(Now, 1);
        await Store.PutDeadLetterAsync(Letter("sub-a", id), default);
        var redriven = Letter("sub-a", id, permanent: true) with { LastError = "HTTP 410", DeadLetteredAt = Now.AddHours(1) };

        await Store.PutDeadLetterAsync(redriven, default);

        AssertSame(redriven, await Store.GetDeadLetterAsync("sub-a", id, default));
        Assert.Single((await Store.ListDeadLettersAsync("sub-a", null, 10, null, default)).Items);
    }

    [Fact]
    public async Task ListDeadLetters_PagesInMessageIdOrder_OnlyTheSubscriptions()
    {
        var ids = Enumerable.Range(0, 5).Select(i => MessageIdAt(Now.AddSeconds(i), i)).ToArray();
        foreach (var i in new[] { 3, 0, 4, 1, 2 })
        {
            await Store.PutDeadLetterAsync(Letter("sub-a", ids[i]), default);
        }

        await Store.PutDeadLetterAsync(Letter("sub-b", MessageIdAt(Now, 9)), default);

        var first = await Store.ListDeadLettersAsync("sub-a", null, 2, null, default);
        var second = await Store.ListDeadLettersAsync("sub-a", null, 2, first.NextCursor, default);
        var third = await Store.ListDeadLettersAsync("sub-a", null, 2, second.NextCursor, default);

        Assert.Equal(ids[..2], first.Items.Select(l => l.MessageId));
        Assert.Equal(ids[2..4], second.Items.Select(l => l.MessageId));
        Assert.Equal(ids[4..], third.Items.Select(l => l.MessageId));
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task ListDeadLetters_ExactlyAPage_HasNoNextCursor()
    {
        await Store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 1)), default);
        await Store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 2)), default);

        var page = await Store.ListDeadLettersAsync("sub-a", null, 2, null, default);

        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    /// <summary>The window is half-open on the publish time, and a page of it continues only inside it.</summary>
    [Fact]
    public async Task ListDeadLetters_WithWindow_KeepsThosePublishedInIt()
    {
        var ids = Enumerable.Range(0, 6).Select(i => MessageIdAt(Now.AddMinutes(i), i)).ToArray();
        foreach (var id in ids)
        {
            await Store.PutDeadLetterAsync(Letter("sub-a", id), default);
        }

        var window = new TimeWindow(Now.AddMinutes(1), Now.AddMinutes(5));
        var first = await Store.ListDeadLettersAsync("sub-a", window, 3, null, default);
        var second = await Store.ListDeadLettersAsync("sub-a", window, 3, first.NextCursor, default);

        Assert.Equal(ids[1..4], first.Items.Select(l => l.MessageId));
        Assert.Equal(ids[4..5], second.Items.Select(l => l.MessageId));
        Assert.Null(second.NextCursor);
        Assert.Equal(ids[..2], (await Store.ListDeadLettersAsync("sub-a", new TimeWindow(null, Now.AddMinutes(2)), 10, null, default)).Items.Select(l => l.MessageId));
        Assert.Equal(ids[5..], (await Store.ListDeadLettersAsync("sub-a", new TimeWindow(Now.AddMinutes(5), null), 10, null, default)).Items.Select(l => l.MessageId));
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("eA")]
    public async Task ListDeadLetters_MalformedCursor_ThrowsInvalidCursor(string cursor)
    {
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListDeadLettersAsync("sub-a", null, 10, cursor, default));
    }

    [Fact]
    public async Task ListDeadLetters_CursorOfAnotherListing_ThrowsInvalidCursor()
    {
        await Store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 1)), default);
        await Store.PutDeadLetterAsync(Letter("sub-a", MessageIdAt(Now, 2)), default);
        var page = await Store.ListDeadLettersAsync("sub-a", null, 1, null, default);

        Assert.NotNull(page.NextCursor);
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListDeadLettersAsync("sub-b", null, 1, page.NextCursor, default));
        await Assert.ThrowsAsync<InvalidCursorException>(() => Store.ListDeadLettersAsync("sub-a", new TimeWindow(Now, null), 1, page.NextCursor, default));
    }

    [Fact]
    public async Task DeleteDeadLetter_TrueOnce_ThenFalse()
    {
        var id = MessageIdAt(Now, 1);
        await Store.PutDeadLetterAsync(Letter("sub-a", id), default);

        Assert.True(await Store.DeleteDeadLetterAsync("sub-a", id, default));
        Assert.False(await Store.DeleteDeadLetterAsync("sub-a", id, default));
        Assert.Null(await Store.GetDeadLetterAsync("sub-a", id, default));
        Assert.Empty((await Store.ListDeadLettersAsync("sub-a", null, 10, null, default)).Items);
    }

    [Fact]
    public async Task DeadLetter_Expired_IsAbsent()
    {
        var expiring = Letter("sub-a", MessageIdAt(Now, 1)) with { ExpiresAt = Now.AddDays(1) };
        var staying = Letter("sub-a", MessageIdAt(Now, 2)) with { ExpiresAt = Now.AddDays(3) };
        await Store.PutDeadLetterAsync(expiring, default);
        await Store.PutDeadLetterAsync(staying, default);

        Clock.Advance(TimeSpan.FromDays(1));

        Assert.Null(await Store.GetDeadLetterAsync("sub-a", expiring.MessageId, default));
        Assert.Equal([staying.MessageId], (await Store.ListDeadLettersAsync("sub-a", null, 10, null, default)).Items.Select(l => l.MessageId));
        Assert.False(await Store.DeleteDeadLetterAsync("sub-a", expiring.MessageId, default));
    }

    /// <summary>A message id as Notify makes them: its first 15 hex digits are <paramref name="at"/> in Unix ms shifted by 12 bits.</summary>
    protected static string MessageIdAt(DateTimeOffset at, int n) =>
        $"{at.ToUnixTimeMilliseconds() << 12:x15}{n:x17}";

    protected static DeadLetter Letter(string subscriptionId, string messageId, bool permanent = false) => new()
    {
        SubscriptionId = subscriptionId,
        MessageId = messageId,
        Topic = "orders",
        PublishedAt = DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(messageId[..15], 16) >> 12),
        Envelope = """{"kind":"notification","message":"hello"}""",
        Attempts =
        [
            DeliveryAttempt.Of(1, Now.AddMilliseconds(5), "HTTP 500"),
            DeliveryAttempt.Of(2, Now.AddSeconds(5), "timed out after 15s"),
        ],
        LastError = "timed out after 15s",
        Permanent = permanent,
        DeadLetteredAt = Now.AddSeconds(6),
        ExpiresAt = Now.AddDays(14),
    };

    /// <summary>Records compare their attempt lists by reference, so the lists are compared item by item.</summary>
    protected static void AssertSame(DeadLetter expected, DeadLetter? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected with { Attempts = Array.Empty<DeliveryAttempt>() }, actual with { Attempts = Array.Empty<DeliveryAttempt>() });
    }
}
