using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notify.Shared.Queue;

/// <summary>Ready only when the queue answers; reports its depth for operators.</summary>
internal sealed class QueueHealthCheck(IMessageQueue queue) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var depth = await queue.GetDepthAsync(cancellationToken);
        return HealthCheckResult.Healthy($"{depth.Waiting} waiting, {depth.InFlight} in flight, {depth.Delayed} delayed");
    }
}
