using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notify.Metadata.Store;

/// <summary>Ready only when the metadata store answers a read (the cache is bypassed on purpose).</summary>
internal sealed class MetadataHealthCheck(IMetadataStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await store.ListTopicsAsync(1, null, cancellationToken);
        return HealthCheckResult.Healthy();
    }
}
