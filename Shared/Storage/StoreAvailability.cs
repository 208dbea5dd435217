using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notify.Shared.Storage;

/// <summary>
/// Whether this process's store exists yet. A Frontend creates its store and every Aws-mode process finds
/// or creates its tables and queue as it starts, so for them it is available from the start. A standalone
/// Sender in Embedded mode reads a store that a Frontend creates: until then it is unavailable, nothing
/// may open (and so create) the store's files, and readiness reports <see cref="WhyUnavailable"/>.
/// </summary>
public sealed class StoreAvailability : IHealthCheck
{
    private readonly TaskCompletionSource _available = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StoreAvailability(string? whyUnavailable) => WhyUnavailable = whyUnavailable ?? "";

    /// <summary>A store that is there from the start.</summary>
    public static StoreAvailability Available()
    {
        var availability = new StoreAvailability(null);
        availability.MarkAvailable();
        return availability;
    }

    /// <summary>A store that is not there yet, for the reason given (a person reads it at <c>/readyz</c>).</summary>
    public static StoreAvailability Awaited(string whyUnavailable) => new(whyUnavailable);

    public bool IsAvailable => _available.Task.IsCompleted;

    public string WhyUnavailable { get; }

    public void MarkAvailable() => _available.TrySetResult();

    /// <summary>Completes when the store is available.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _available.Task.WaitAsync(cancellationToken);

    /// <summary>Stands in for a readiness check whose store is not there yet.</summary>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(IsAvailable ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(WhyUnavailable));
}
