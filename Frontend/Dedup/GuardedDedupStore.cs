using Notify.Shared.Dependencies;

namespace Notify.Frontend.Dedup;

/// <summary>
/// A dedup store (SQLite or DynamoDB) whose outages reach callers as
/// <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>.
/// </summary>
internal sealed class GuardedDedupStore(IDedupStore inner, DependencyGuard guard) : IDedupStore
{
    public Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ClaimAsync(key, messageId, cancellationToken), cancellationToken);

    public Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.AcceptAsync(key, messageId, cancellationToken), cancellationToken);

    public Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ReleaseAsync(key, messageId, cancellationToken), cancellationToken);
}
