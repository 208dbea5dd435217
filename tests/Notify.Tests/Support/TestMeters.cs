using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notify.Shared.Metrics;

namespace Notify.Tests.Support;

/// <summary>
/// A <see cref="NotifyMetrics"/> on a meter factory of its own, so a test's <see cref="MetricCollector{T}"/>
/// (which listens to one meter object) sees only that test's measurements.
/// </summary>
internal sealed class TestMeters : IDisposable
{
    private readonly ServiceProvider _services;

    public TestMeters()
    {
        _services = new ServiceCollection().AddNotifyMetricsInstruments().BuildServiceProvider();
        // Built now, so a collector started before the first record finds the instruments already published.
        Metrics = _services.GetRequiredService<NotifyMetrics>();
    }

    public NotifyMetrics Metrics { get; }

    public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    /// <summary>Collects the named instrument of the <c>Notify</c> meter.</summary>
    public MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(Factory, NotifyMetrics.MeterName, instrument);

    public void Dispose() => _services.Dispose();
}
