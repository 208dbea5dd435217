namespace Notify.Metadata.Cache;

/// <summary>
/// Two tiers: this process's own cache in front of the shared one (the Redis ring). A read asks the local
/// tier, then the shared one, and keeps a shared hit locally, so hot topics cost no network hop; refills
/// and invalidations go to both. Another process's invalidation reaches only the shared tier, so the local
/// tier's (short) TTL bounds how long this process can serve an entry another one changed.
/// </summary>
/// <remarks>
/// Each tier checks its own ticket, taken before anything it may store was read: the local tier's from the
/// local miss, so a shared hit is kept locally only if this process did not invalidate the key while the
/// shared tier was asked (that answer may predate the write behind the invalidation); and on a miss in
/// both, the refill carries both tickets and each tier takes or drops the value by its own.
/// </remarks>
internal sealed class TieredMetadataCache(IMetadataCache local, IMetadataCache shared) : IMetadataCache
{
    public async ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var inLocal = await local.TryGetAsync<T>(key, cancellationToken);
        if (inLocal.Found)
        {
            return inLocal;
        }

        var inShared = await shared.TryGetAsync<T>(key, cancellationToken);
        if (inShared.Found)
        {
            await local.RefillAsync(key, inShared.Value, inLocal.Ticket, cancellationToken);
            return inShared;
        }

        return CacheLookup<T>.Miss(new RefillTicket(new Tickets(inLocal.Ticket, inShared.Ticket)));
    }

    public async ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class
    {
        if (ticket.State is Tickets tickets)
        {
            await local.RefillAsync(key, value, tickets.Local, cancellationToken);
            await shared.RefillAsync(key, value, tickets.Shared, cancellationToken);
        }
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        await local.InvalidateAsync(key, cancellationToken);
        await shared.InvalidateAsync(key, cancellationToken);
    }

    /// <summary>Each tier's own ticket from one miss in both.</summary>
    private sealed record Tickets(RefillTicket Local, RefillTicket Shared);
}
