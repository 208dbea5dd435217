namespace Notify.Bench.Queue;

/// <summary>One configuration's run: how many durable sends it made and how long each took.</summary>
internal sealed record Measurement(string Name, int Senders, int Messages, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Messages / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
