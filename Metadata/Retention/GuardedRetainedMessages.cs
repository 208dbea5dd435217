using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;
using Notify.Shared.Dependencies;

namespace Notify.Metadata.Retention;

/// <summary>Retained messages whose store outages reach callers as <see cref="DependencyUnavailableException"/>, named by <paramref name="guard"/>.</summary>
internal sealed class GuardedRetainedMessages(IRetainedMessages inner, DependencyGuard guard) : IRetainedMessages
{
    public Task KeepAsync(RetainedMessage message, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.KeepAsync(message, cancellationToken), cancellationToken);

    public Task<Page<RetainedMessage>> ListAsync(string topic, TimeWindow published, int limit, string? cursor, CancellationToken cancellationToken) =>
        guard.CallAsync(() => inner.ListAsync(topic, published, limit, cursor, cancellationToken), cancellationToken);
}
