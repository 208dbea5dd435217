using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Notify.Metadata.Extensions;
using Notify.Metadata.Store.Embedded;
using Notify.Sender;
using Notify.Sender.Storage;
using Notify.Shared.Health;
using Notify.Shared.Queue;
using Notify.Shared.Queue.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Sender;

/// <summary>A standalone Sender in Embedded mode, set up as its Program does, on a data directory without a store.</summary>
public sealed class StandaloneStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly FakeLogCollector _logs = new();

    private string DataDirectory => _directory.File("data");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task WithoutAStore_ItWarnsIsUnreadyAndCreatesNothing_ThenStartsOnceAFrontendCreatedIt()
    {
        using var host = BuildStandaloneSender();
        await host.StartAsync();

        await _logs.WhenLoggedAsync("NoStore");
        var warning = Assert.Single(_logs.GetSnapshot(), e => e.Id.Name == "NoStore");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(DataDirectory, warning.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:DataDirectory", warning.Message, StringComparison.Ordinal);
        var unready = await ReadinessAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, unready.Status);
        Assert.All(unready.Entries.Values, e => Assert.Contains("no Notify store", e.Description, StringComparison.Ordinal));
        Assert.Equal("metadata queue", string.Join(' ', unready.Entries.Keys.Order(StringComparer.Ordinal)));
        Assert.False(File.Exists(Path.Combine(DataDirectory, "queue.db")), "the Sender created queue.db");
        Assert.False(File.Exists(Path.Combine(DataDirectory, "metadata.db")), "the Sender created metadata.db");
        Assert.DoesNotContain(_logs.GetSnapshot(), e => e.Id.Name == "SenderStarted");

        await CreateStoreAsFrontendDoesAsync();
        _clock.Advance(EmbeddedStoreWatch.PollInterval);

        await _logs.WhenLoggedAsync("StoreFound");
        await _logs.WhenLoggedAsync("SenderStarted");
        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(host)).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task WithAStore_ItStartsAtOnceWithoutAWarning()
    {
        await CreateStoreAsFrontendDoesAsync();
        using var host = BuildStandaloneSender();

        await host.StartAsync();

        await _logs.WhenLoggedAsync("SenderStarted");
        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(host)).Status);
        Assert.DoesNotContain(_logs.GetSnapshot(), e => e.Id.Name is "NoStore" or "StoreFound");
        await host.StopAsync();
    }

    private IHost BuildStandaloneSender()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = DataDirectory,
            ["Notify:PublicBaseUrl"] = "https://notify.example/",
            ["Notify:Sender:WaitTime"] = "00:00:00.100",
        });
        builder.Logging.AddProvider(new FakeLoggerProvider(_logs));
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.AddNotifyQueue();
        builder.AddNotifyMetadata(inProcessTier: false);
        builder.AddNotifySender();
        builder.WaitForEmbeddedStore();
        return builder.Build();
    }

    private async Task CreateStoreAsFrontendDoesAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await new SqliteMetadataStore(Path.Combine(DataDirectory, "metadata.db"), TimeProvider.System).ListTopicsAsync(1, null, CancellationToken.None);
        await using var queue = new SqliteMessageQueue(
            Path.Combine(DataDirectory, "queue.db"), TestCipher.Instance, TimeProvider.System, new FakeLogger<SqliteMessageQueue>(_logs));
        await queue.GetDepthAsync(CancellationToken.None);
    }

    private static Task<HealthReport> ReadinessAsync(IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(ReadinessChecks.Tag));
}
