using Notify.Metadata.Deliveries.Embedded;
using Notify.Metadata.Retention;
using Notify.Tests.Support;

namespace Notify.Tests.Retention;

/// <summary>The retained-message contract on <c>deliveries.db</c>, and its sweep with the delivery store's.</summary>
public sealed class SqliteRetainedMessagesTests : RetainedMessagesContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteRetainedMessages _store;

    public SqliteRetainedMessagesTests()
    {
        _store = new SqliteRetainedMessages(_directory.File("deliveries.db"), TestCipher.Instance, Clock);
    }

    protected override IRetainedMessages Store => _store;

    /// <summary>
    /// The delivery store's sweep deletes expired messages from the file (the store's own clock, still earlier,
    /// would show them if they were only hidden) and keeps the others.
    /// </summary>
    [Fact]
    public async Task DeliverySweep_DeletesExpiredMessages_AndKeepsTheRest()
    {
        var expired = Message("orders", Now, 1) with { ExpiresAt = Now.AddHours(1) };
        var kept = Message("orders", Now, 2) with { ExpiresAt = Now.AddHours(3) };
        await _store.KeepAsync(expired, default);
        await _store.KeepAsync(kept, default);
        var deliveries = new SqliteDeliveryStore(_directory.File("deliveries.db"), TestCipher.Instance, Clock);

        var deleted = await deliveries.DeleteExpiredAsync(Now.AddHours(2), default);

        Assert.Equal(1, deleted);
        Assert.Equal([kept], (await _store.ListAsync("orders", Window(Now, Now.AddSeconds(1)), 10, null, default)).Items);
    }

    [Fact]
    public async Task Reopen_KeepsWhatWasKept()
    {
        var message = Message("orders", Now, 1);
        await _store.KeepAsync(message, default);

        var reopened = new SqliteRetainedMessages(_directory.File("deliveries.db"), TestCipher.Instance, Clock);

        Assert.Equal([message], (await reopened.ListAsync("orders", Window(Now, Now.AddSeconds(1)), 10, null, default)).Items);
    }

    public void Dispose() => _directory.Dispose();
}
