namespace Notify.Shared.Metrics;

/// <summary><c>Notify:Metrics</c>: whether this process serves its metrics at <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Notify:Metrics";

    /// <summary>
    /// True (the default): OpenTelemetry collects Notify's, ASP.NET Core's and HttpClient's metrics and
    /// <c>/metrics</c> serves them in Prometheus text format, without a key. False: nothing is collected
    /// and <c>/metrics</c> answers 404.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
