namespace Notify.Bench.Publish;

/// <summary>
/// One configuration's run. Throughput and latency count only the 2xx answers that arrived inside the
/// measured window; <see cref="Accepted"/> counts every 2xx of the run (warm-up and the requests still in
/// flight at the end included), which is what the queue must hold afterwards.
/// </summary>
internal sealed record Measurement(
    string Name,
    int Concurrency,
    TimeSpan Window,
    double[] LatenciesMs,
    long WindowErrors,
    long Accepted,
    long Failed,
    string? FirstFailure,
    double ServerCores,
    double GeneratorCores)
{
    public double PerSecond => LatenciesMs.Length / Window.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
