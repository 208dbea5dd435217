using Notify.Frontend.Keys;
using Notify.Metadata.Keys;
using Notify.Tests.Support;

namespace Notify.Tests.Keys;

/// <summary>The cached lookup on a real key store: one store read per 5 s per key, a local delete at once.</summary>
public sealed class ApiKeyLookupTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    private IApiKeyStore NewStore() => new SqliteApiKeyStore(_directory.File("metadata.db"));

    private async Task<(ApiKey Key, string Secret)> CreateAsync(IApiKeyStore store)
    {
        var secret = KeySecrets.NewKey();
        var key = new ApiKey
        {
            Id = KeySecrets.NewId(_clock),
            Name = "ci",
            KeyHash = KeySecrets.HashOf(secret),
            Permissions = [ApiKeyPermission.Publish],
            Topics = ["*"],
            CreatedAt = _clock.GetUtcNow(),
        };
        await store.CreateAsync(key, default);
        return (key, secret);
    }

    [Fact]
    public async Task KeyDeletedByAnotherFrontend_IsStillFound_UntilItsAnswerIsFiveSecondsOld()
    {
        var store = NewStore();
        var (key, secret) = await CreateAsync(store);
        var lookup = new ApiKeyLookup(NewStore(), _clock);
        Assert.Equal(key, await lookup.FindAsync(KeySecrets.HashOf(secret), default));

        await store.DeleteAsync(key.Id, default);
        _clock.Advance(ApiKeyLookup.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal(key, await lookup.FindAsync(KeySecrets.HashOf(secret), default));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await lookup.FindAsync(KeySecrets.HashOf(secret), default));
    }

    [Fact]
    public async Task ForgottenKey_IsReadAgainAtOnce()
    {
        var store = NewStore();
        var (key, secret) = await CreateAsync(store);
        var lookup = new ApiKeyLookup(store, _clock);
        Assert.Equal(key, await lookup.FindAsync(key.KeyHash, default));

        await store.DeleteAsync(key.Id, default);
        lookup.Forget(key.KeyHash);

        Assert.Null(await lookup.FindAsync(KeySecrets.HashOf(secret), default));
    }

    [Fact]
    public async Task UnknownKey_IsRemembered_SoACreatedKeyIsFoundAfterTheLifetime()
    {
        var store = NewStore();
        var lookup = new ApiKeyLookup(store, _clock);
        Assert.Null(await lookup.FindAsync(KeySecrets.HashOf("nfy_unknown"), default));

        var (key, secret) = await CreateAsync(store);
        Assert.Equal(key, await lookup.FindAsync(KeySecrets.HashOf(secret), default));
    }

    [Fact]
    public void NewKeys_AreNfyAndBase64UrlOf32Bytes_AndHashToLowerHexSha256()
    {
        var secret = KeySecrets.NewKey();

        Assert.Matches("^nfy_[A-Za-z0-9_-]{43}$", secret);
        Assert.NotEqual(secret, KeySecrets.NewKey());
        Assert.Matches("^[0-9a-f]{64}$", KeySecrets.HashOf(secret));
        Assert.Matches("^key_[0-9a-f]{32}$", KeySecrets.NewId(_clock));
    }

    public void Dispose() => _directory.Dispose();
}
