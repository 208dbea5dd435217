using Notify.Metadata.Keys;
using Notify.Metadata.Store;

namespace Notify.Tests.Keys;

/// <summary>The behaviour every <see cref="IApiKeyStore"/> must have, whatever its engine.</summary>
public abstract class ApiKeyStoreContractTests
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A store on the test's file or table; two calls give two stores on the same one, as two Frontends have.</summary>
    protected abstract IApiKeyStore NewStore();

    private static int _sequence;

    private static ApiKey NewKey(string name = "ci", ApiKeyRateLimit? rateLimit = null, DateTimeOffset? expiresAt = null)
    {
        var n = Interlocked.Increment(ref _sequence);
        return new ApiKey
        {
            Id = $"key_{n:x32}",
            Name = name,
            KeyHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n))),
            Permissions = [ApiKeyPermission.Publish, ApiKeyPermission.Read],
            Topics = ["orders", "billing-*"],
            RateLimit = rateLimit,
            CreatedAt = Now,
            ExpiresAt = expiresAt,
        };
    }

    [Fact]
    public async Task Create_ThenGetAndFindByHash_ReturnTheWholeKey_FromAnotherStoreOnTheSameData()
    {
        var key = NewKey(rateLimit: new ApiKeyRateLimit(12.5, 40, null, 100), expiresAt: Now.AddDays(30));
        await NewStore().CreateAsync(key, default);

        var other = NewStore();
        Assert.Equal(key, await other.GetAsync(key.Id, default));
        Assert.Equal(key, await other.FindByHashAsync(key.KeyHash, default));
    }

    [Fact]
    public async Task Key_WithoutRateLimitOrExpiry_ReadsBackWithNeither()
    {
        var key = NewKey();
        var store = NewStore();
        await store.CreateAsync(key, default);

        var read = await store.FindByHashAsync(key.KeyHash, default);
        Assert.NotNull(read);
        Assert.Null(read.RateLimit);
        Assert.Null(read.ExpiresAt);
        Assert.Equal(["orders", "billing-*"], read.Topics);
        Assert.Equal([ApiKeyPermission.Publish, ApiKeyPermission.Read], read.Permissions);
    }

    [Fact]
    public async Task UnknownIdOrHash_IsNull()
    {
        var store = NewStore();
        await store.CreateAsync(NewKey(), default);

        Assert.Null(await store.GetAsync("key_unknown", default));
        Assert.Null(await store.FindByHashAsync(new string('0', 64), default));
    }

    [Fact]
    public async Task Delete_RemovesTheKeyFromGetFindAndList_AndSaysWhetherThereWasOne()
    {
        var store = NewStore();
        var kept = NewKey("kept");
        var deleted = NewKey("deleted");
        await store.CreateAsync(kept, default);
        await store.CreateAsync(deleted, default);

        Assert.True(await store.DeleteAsync(deleted.Id, default));
        Assert.False(await store.DeleteAsync(deleted.Id, default));

        Assert.Null(await store.GetAsync(deleted.Id, default));
        Assert.Null(await store.FindByHashAsync(deleted.KeyHash, default));
        Assert.Equal([kept.Id], (await store.ListAsync(10, null, default)).Items.Select(k => k.Id));
        Assert.Equal(kept, await store.FindByHashAsync(kept.KeyHash, default));
    }

    [Fact]
    public async Task List_PagesInIdOrder_UntilTheCursorIsNull()
    {
        var store = NewStore();
        var keys = Enumerable.Range(0, 5).Select(i => NewKey($"k{i}")).ToList();
        foreach (var key in keys.AsEnumerable().Reverse())
        {
            await store.CreateAsync(key, default);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(2, cursor, default);
            Assert.InRange(page.Items.Count, 1, 2);
            seen.AddRange(page.Items.Select(k => k.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(keys.Select(k => k.Id), seen);
    }

    [Fact]
    public async Task List_WithACursorOfAnotherListing_IsRefused()
    {
        var store = NewStore();
        var topicsCursor = Convert.ToBase64String("topics\nabc"u8).TrimEnd('=');
        await Assert.ThrowsAsync<InvalidCursorException>(() => store.ListAsync(2, topicsCursor, default));
    }
}
