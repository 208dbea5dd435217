namespace Notify.Metadata.Cache;

/// <summary>
/// A cache in front of the metadata store. Reads are cache-aside; every write to the store invalidates
/// the keys it affects. A cache that cannot answer behaves as a miss, never as an error.
/// </summary>
/// <remarks>
/// A miss hands out a <see cref="RefillTicket"/>, and only a refill that carries it can store the value the
/// caller then read from the store. Without it, a reader that read the store just before a write could
/// put the old value back after the writer's invalidation, to be served for the whole TTL. The ticket
/// rides on the lookup the reader makes anyway, so the interface stays three calls and a hit costs nothing
/// more; there is no plain "set", because every value a cache holds is one a reader fetched after a miss.
/// </remarks>
public interface IMetadataCache
{
    /// <summary>The cached value, or a miss carrying the ticket for refilling <paramref name="key"/>.</summary>
    ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class;

    /// <summary>
    /// Stores <paramref name="value"/>, read from the store after the miss that issued <paramref name="ticket"/>,
    /// unless <paramref name="key"/> was invalidated since that miss: the value may then predate the write
    /// behind the invalidation, and storing nothing costs only one more miss. Nothing is stored with the
    /// default ticket (the cache could not answer at the miss).
    /// </summary>
    ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class;

    /// <summary>Removes <paramref name="key"/>, and makes every refill from a miss before now store nothing.</summary>
    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);
}
