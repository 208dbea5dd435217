using Notify.Shared.Dependencies;

namespace Notify.Metadata.Deliveries.FanOut;

/// <summary>Fan-out marks whose store's outages reach callers as <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>.</summary>
internal sealed class GuardedFanOutProgress(IFanOutProgress inner, DependencyGuard guard) : IFanOutProgress
{
    public Task<FanOutMark?> GetAsync(string messageId, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.GetAsync(messageId, cancellationToken), cancellationToken);

    public Task SaveAsync(string messageId, FanOutMark mark, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.SaveAsync(messageId, mark, expiresAt, cancellationToken), cancellationToken);
}
