using Notify.Metadata.Model;

namespace Notify.Metadata.Keys;

/// <summary>
/// Where scoped API keys are kept: the metadata file (<c>api_keys</c>) or the metadata table, so every
/// Frontend of an installation knows the same keys. Keys are found by the SHA-256 of what a caller presents;
/// the key itself is never stored.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Stores a new key; its id and hash are new, so this never replaces one.</summary>
    Task CreateAsync(ApiKey key, CancellationToken cancellationToken);

    Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The key whose SHA-256 is <paramref name="keyHash"/> (lower-case hex), expired or not: the caller checks the expiry.</summary>
    Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>Keys in creation order, a page at a time.</summary>
    Task<Page<ApiKey>> ListAsync(int limit, string? cursor, CancellationToken cancellationToken);

    /// <returns>False when there was no key <paramref name="id"/>.</returns>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
