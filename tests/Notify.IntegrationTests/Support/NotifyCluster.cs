using Notify.TestServers;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// Notify as it runs in production on AWS, on loopback: two Frontends and two standalone Senders, as
/// separate processes, sharing DynamoDB (dynalite), SQS (moto) and a ring of three Redis nodes, all
/// owned by this cluster so its tests may kill any of them.
/// </summary>
public sealed class NotifyCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _dataDirectory;

    private NotifyCluster(AwsServers servers, Dictionary<string, string?> settings, string dataDirectory)
    {
        Servers = servers;
        _settings = settings;
        _dataDirectory = dataDirectory;
    }

    public AwsServers Servers { get; }

    public List<NotifyProcess> Frontends { get; } = [];

    public List<NotifyProcess> Senders { get; } = [];

    /// <summary>The settings every process of the cluster runs with.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public List<NotifyClient> Clients { get; } = [];

    /// <summary>Starts the servers and the processes; the settings in <paramref name="overrides"/> win over the test settings.</summary>
    public static async Task<NotifyCluster> StartAsync(int frontends = 2, int senders = 2, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var servers = new AwsServers();
        await servers.InitializeAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        var settings = NotifyService.TestSettings(dataDirectory);
        foreach (var (key, value) in servers.Settings(NotifyService.UniqueResourcePrefix()))
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var cluster = new NotifyCluster(servers, settings, dataDirectory);
        try
        {
            // The first Frontend creates the tables and the queue; the others find them.
            cluster.Frontends.Add(await NotifyProcess.StartFrontendAsync(settings));
            var rest = await Task.WhenAll(Enumerable.Range(1, frontends - 1).Select(_ => NotifyProcess.StartFrontendAsync(settings)));
            cluster.Frontends.AddRange(rest);
            cluster.Clients.AddRange(cluster.Frontends.Select(f => new NotifyClient(f.BaseAddress, NotifyService.AdminKey)));
            for (var i = 0; i < senders; i++)
            {
                await cluster.AddSenderAsync();
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts one more Sender; its links point at the first Frontend, as at a load balancer.</summary>
    public async Task<NotifyProcess> AddSenderAsync()
    {
        var sender = await NotifyProcess.StartSenderAsync(new Dictionary<string, string?>(_settings)
        {
            ["Notify:PublicBaseUrl"] = Frontends[0].BaseAddress.AbsoluteUri,
        });
        Senders.Add(sender);
        return sender;
    }

    /// <summary>Everything every Notify process printed, for failure messages.</summary>
    public string Output => string.Join("\n", Frontends.Concat(Senders).Select((p, i) => $"--- process {i} ---\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in Clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(Frontends.Concat(Senders).Select(p => p.DisposeAsync().AsTask()));
        await Servers.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Aws mode writes nothing there.
        }
    }
}
