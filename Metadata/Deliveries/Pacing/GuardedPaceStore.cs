using Notify.Shared.Dependencies;

namespace Notify.Metadata.Deliveries.Pacing;

/// <summary>A pace store whose outages reach callers as <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>.</summary>
internal sealed class GuardedPaceStore(IPaceStore inner, DependencyGuard guard) : IPaceStore
{
    public Task<DateTimeOffset> TakeTurnAsync(string line, TimeSpan interval, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.TakeTurnAsync(line, interval, cancellationToken), cancellationToken);
}
