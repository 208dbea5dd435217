namespace Notify.Metadata.Cache;

/// <summary>
/// A cache in front of the metadata store. Reads are cache-aside; every write to the store invalidates
/// the keys it affects. A cache that cannot answer behaves as a miss, never as an error.
/// </summary>
public interface IMetadataCache
{
    /// <summary>The cached value, or <c>Found = false</c> on a miss.</summary>
    ValueTask<(bool Found, T? Value)> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class;

    ValueTask SetAsync<T>(string key, T value, CancellationToken cancellationToken) where T : class;

    ValueTask InvalidateAsync(string key, CancellationToken cancellationToken);
}
