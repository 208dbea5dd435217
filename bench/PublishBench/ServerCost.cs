using System.Globalization;

namespace Notify.Bench.Publish;

/// <summary>
/// What a server process spent per answered request over a measured window: CPU time (all its threads,
/// from the process) and, for Notify, bytes allocated on the managed heap (the runtime's
/// <c>dotnet.gc.heap.total_allocated</c> counter, read from its <c>/metrics</c> before and after).
/// </summary>
internal sealed record ServerCost(double CpuMicroseconds, double? AllocatedBytes)
{
    private const string AllocatedMetric = "dotnet_gc_heap_total_allocated_bytes_total";

    /// <summary>Runs <paramref name="window"/> and divides what the server spent meanwhile by the 2xx answers it gave.</summary>
    /// <param name="metrics">The server's scrape endpoint, or null for a server without one (the bare endpoint).</param>
    public static async Task<(WrkResult Result, ServerCost Cost)> MeasureAsync(
        ServerProcess server, Uri? metrics, Func<Task<WrkResult>> window, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        var allocatedBefore = metrics is null ? 0 : await AllocatedAsync(client, metrics, cancellationToken);
        var cpuBefore = server.CpuTime;
        var result = await window();
        var cpu = server.CpuTime - cpuBefore;
        double? allocated = metrics is null ? null : await AllocatedAsync(client, metrics, cancellationToken) - allocatedBefore;
        var answered = Math.Max(1, result.Successes);
        return (result, new ServerCost(cpu.TotalMicroseconds / answered, allocated / answered));
    }

    private static async Task<double> AllocatedAsync(HttpClient client, Uri metrics, CancellationToken cancellationToken)
    {
        var scrape = await client.GetStringAsync(metrics, cancellationToken);
        foreach (var line in scrape.Split('\n'))
        {
            // name{labels} value [timestamp], or name value [timestamp]
            if (!line.StartsWith(AllocatedMetric, StringComparison.Ordinal) || line.Length == AllocatedMetric.Length
                || line[AllocatedMetric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var rest = line[AllocatedMetric.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[AllocatedMetric.Length..];
            return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        throw new InvalidOperationException($"{metrics} has no {AllocatedMetric}: is Notify:Metrics:Enabled false?");
    }
}
