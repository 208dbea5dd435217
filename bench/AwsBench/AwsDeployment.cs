using System.Diagnostics;
using Notify.Bench.Publish;
using Notify.TestServers;

namespace Notify.Bench.Aws;

/// <summary>
/// Notify in Aws mode on loopback: dynalite (DynamoDB), moto (SQS) and three Redis nodes, started as the
/// Aws-mode integration tests start them, then two Frontends and two standalone Senders as child
/// processes of this program, all on free ports. The first Frontend creates the tables and the queue
/// (<c>Notify:Aws:CreateResources</c> is on by default).
/// </summary>
internal sealed class AwsDeployment : IAsyncDisposable
{
    private readonly AwsServers _servers;

    private AwsDeployment(AwsServers servers, Dictionary<string, string?> settings)
    {
        _servers = servers;
        Settings = settings;
    }

    /// <summary>The configuration every Notify process runs with (keys with ':').</summary>
    public Dictionary<string, string?> Settings { get; }

    public List<ServerProcess> Frontends { get; } = [];

    public List<ServerProcess> Senders { get; } = [];

    public AwsServers Servers => _servers;

    public static async Task<AwsDeployment> StartServersAsync(string adminKey)
    {
        var servers = new AwsServers();
        await servers.InitializeAsync();
        var settings = servers.Settings("bench" + Guid.NewGuid().ToString("N")[..8] + "-");
        settings["Notify:Auth:AdminKey"] = adminKey;
        // The receiver is plain http on loopback, which Production refuses otherwise.
        settings["Notify:Webhooks:AllowPrivateNetworks"] = "true";
        settings["Notify:Webhooks:RequireHttps"] = "false";
        return new AwsDeployment(servers, settings);
    }

    public async Task StartNotifyAsync(string frontendDll, string senderDll, int frontends, int senders, CancellationToken cancellationToken)
    {
        // The first Frontend creates the tables and the queue; the others find them.
        Frontends.Add(await StartAsync("Frontend 1", frontendDll, Settings, cancellationToken));
        for (var i = 2; i <= frontends; i++)
        {
            Frontends.Add(await StartAsync($"Frontend {i}", frontendDll, Settings, cancellationToken));
        }

        // A standalone Sender must be told where the Frontend is, for the links it writes.
        var senderSettings = new Dictionary<string, string?>(Settings) { ["Notify:PublicBaseUrl"] = Frontends[0].BaseAddress.AbsoluteUri };
        for (var i = 1; i <= senders; i++)
        {
            Senders.Add(await StartAsync($"Sender {i}", senderDll, senderSettings, cancellationToken));
        }
    }

    /// <summary>Every process of the deployment and this program, for <see cref="CpuMeter"/>.</summary>
    public CpuMeter NewCpuMeter()
    {
        var meter = new CpuMeter();
        foreach (var process in Frontends.Concat(Senders))
        {
            meter.Add(process.Name, () => process.CpuTime);
        }

        meter.AddByPort("moto (SQS)", _servers.Sqs.Port);
        meter.AddByPort("dynalite (DynamoDB)", _servers.DynamoDb.Port);
        for (var i = 0; i < _servers.Redis.Nodes.Count; i++)
        {
            meter.AddByPort($"redis {i + 1}", _servers.Redis.Nodes[i].Port);
        }

        meter.Add("benchmark (load, receiver)", () =>
        {
            using var current = Process.GetCurrentProcess();
            return current.TotalProcessorTime;
        });
        return meter;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Frontends.Concat(Senders))
        {
            await process.DisposeAsync();
        }

        await _servers.DisposeAsync();
    }

    private static async Task<ServerProcess> StartAsync(string name, string dll, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        var process = ServerProcess.Start(name, dll, [], environment);
        await process.WaitUntilHealthyAsync(cancellationToken);
        return process;
    }
}
