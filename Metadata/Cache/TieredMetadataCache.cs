namespace Notify.Metadata.Cache;

/// <summary>
/// Two tiers: this process's own cache in front of the shared one (the Redis ring). A read asks the local
/// tier, then the shared one, and keeps a shared hit locally, so hot topics cost no network hop; writes and
/// invalidations go to both. Another process's invalidation reaches only the shared tier, so the local
/// tier's (short) TTL bounds how long this process can serve an entry another one changed.
/// </summary>
internal sealed class TieredMetadataCache(IMetadataCache local, IMetadataCache shared) : IMetadataCache
{
    public async ValueTask<(bool Found, T? Value)> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var hit = await local.TryGetAsync<T>(key, cancellationToken);
        if (hit.Found)
        {
            return hit;
        }

        hit = await shared.TryGetAsync<T>(key, cancellationToken);
        if (hit is (true, { } value))
        {
            await local.SetAsync(key, value, cancellationToken);
        }

        return hit;
    }

    public async ValueTask SetAsync<T>(string key, T value, CancellationToken cancellationToken) where T : class
    {
        await local.SetAsync(key, value, cancellationToken);
        await shared.SetAsync(key, value, cancellationToken);
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        await local.InvalidateAsync(key, cancellationToken);
        await shared.InvalidateAsync(key, cancellationToken);
    }
}
