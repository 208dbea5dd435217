namespace Notify.Metadata.Cache;

/// <summary>
/// A cache in front of the metadata store. Reads are cache-aside; every write to the store invalidates
/// the keys it affects. A cache that cannot answer behaves as a miss, never as an error.
/// </summary>
/// <remarks>
/// A miss hands out a <see cref="RefillTicket"/>, and only a refill that carries it can store the value the
/// caller then read from the store. There is no plain "set": every value a cache holds is one a reader
/// fetched after a miss, and the ticket is what lets the cache refuse a value fetched before a write whose
/// invalidation has already run (see <see cref="RefillAsync{T}"/>).
/// </remarks>
public interface IMetadataCache
{
    /// <summary>The cached value, or a miss carrying the ticket for refilling <paramref name="key"/>.</summary>
    ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class;

    /// <summary>
    /// Stores <paramref name="value"/>, read from the store after the miss that issued <paramref name="ticket"/>.
    /// </summary>
    ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class;

    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);
}
