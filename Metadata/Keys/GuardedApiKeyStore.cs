using Notify.Metadata.Model;
using Notify.Shared.Dependencies;

namespace Notify.Metadata.Keys;

/// <summary>A key store whose outages reach callers as <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>.</summary>
internal sealed class GuardedApiKeyStore(IApiKeyStore inner, DependencyGuard guard) : IApiKeyStore
{
    public Task CreateAsync(ApiKey key, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.CreateAsync(key, cancellationToken), cancellationToken);

    public Task<ApiKey?> GetAsync(string id, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetAsync(id, cancellationToken), cancellationToken);

    public Task<ApiKey?> FindByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.FindByHashAsync(keyHash, cancellationToken), cancellationToken);

    public Task<Page<ApiKey>> ListAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListAsync(limit, cursor, cancellationToken), cancellationToken);

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.DeleteAsync(id, cancellationToken), cancellationToken);
}
