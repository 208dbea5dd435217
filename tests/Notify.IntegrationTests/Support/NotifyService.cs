using System.Text.Json;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// A Notify service under test, started as real processes: in Embedded mode one Frontend with its data
/// directory (kept across restarts until disposed); in Aws mode a Frontend and a standalone Sender on
/// the local AWS servers. <see cref="Client"/> holds the admin key.
/// </summary>
public sealed class NotifyService : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-2f8b6c1e9d";

    private readonly Dictionary<string, string?> _settings;
    private readonly List<(string Name, NotifyProcess Process)> _started = [];

    private NotifyService(Deployment deployment, Dictionary<string, string?> settings, string dataDirectory)
    {
        Deployment = deployment;
        _settings = settings;
        DataDirectory = dataDirectory;
    }

    public Deployment Deployment { get; }

    /// <summary>The configuration every process of this service runs with.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    public string DataDirectory { get; }

    /// <summary>A setting the processes were started with (null when not set): for a test that opens their storage itself.</summary>
    public string? Setting(string key) => _settings.GetValueOrDefault(key);

    /// <summary>The Frontend process.</summary>
    public NotifyProcess Process { get; private set; } = null!;

    /// <summary>The standalone Sender (Aws mode only).</summary>
    public NotifyProcess? Sender { get; private set; }

    public NotifyClient Client { get; private set; } = null!;

    /// <summary>Settings shared by every process of a test service: short retries and timeouts so tests are quick.</summary>
    public static Dictionary<string, string?> TestSettings(string dataDirectory) => new()
    {
        ["Notify:DataDirectory"] = dataDirectory,
        ["Notify:Auth:AdminKey"] = AdminKey,
        ["Notify:Webhooks:AllowPrivateNetworks"] = "true",
        ["Notify:Webhooks:RequireHttps"] = "false",
        ["Notify:Webhooks:BaseDelay"] = "00:00:00.200",
        ["Notify:Webhooks:MaxDelay"] = "00:00:02",
        ["Notify:Webhooks:AttemptTimeout"] = "00:00:05",
        ["Notify:Sender:VisibilityTimeout"] = "00:00:05",

        // Deliveries: six attempts within about four seconds, made in process (InProcessRetryLimit is
        // 10 s); tests of scheduled retries set their own schedule and limit.
        ["Notify:Delivery:Webhook:RetrySeconds"] = "0,1,1,1,1",
        ["Notify:Delivery:Email:RetrySeconds"] = "0,1,1,1",
        ["Notify:Delivery:Sms:RetrySeconds"] = "0,1,1,1",
        ["Notify:Delivery:StatsFlushInterval"] = "00:00:00.200",
        ["Notify:Sender:WaitTime"] = "00:00:01",

        // Email and SMS are on, so subscribing by either is accepted; tests that deliver point them at
        // maildev and the Twilio stand-in. Port 9 (discard) refuses connections.
        ["Notify:Email:PickupDirectory"] = Path.Combine(dataDirectory, "mail"),
        ["Notify:Email:From"] = "Notify <notify@example.com>",
        ["Notify:Email:BaseDelay"] = "00:00:00.200",
        ["Notify:Email:MaxDelay"] = "00:00:02",
        ["Notify:Sms:Twilio:AccountSid"] = "AC00000000000000000000000000000000",
        ["Notify:Sms:Twilio:AuthToken"] = "test-auth-token",
        ["Notify:Sms:Twilio:From"] = "+15550000000",
        ["Notify:Sms:Twilio:BaseUrl"] = "http://127.0.0.1:9",
        ["Notify:Sms:BaseDelay"] = "00:00:00.200",
        ["Notify:Sms:MaxDelay"] = "00:00:02",
        ["Notify:Sms:MaxPerSecond"] = "50",
    };

    /// <summary>
    /// Starts Notify on fresh storage (a new data directory, or in Aws mode a new resource prefix on
    /// the shared local servers); the settings in <paramref name="overrides"/> win.
    /// </summary>
    public static async Task<NotifyService> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null, Deployment deployment = Deployment.Embedded)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = TestSettings(dataDirectory);
        if (deployment == Deployment.Aws)
        {
            var servers = await SharedAwsServers.GetAsync();
            foreach (var (key, value) in servers.Settings(UniqueResourcePrefix()))
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var service = new NotifyService(deployment, settings, dataDirectory);
        await service.RestartAsync();
        return service;
    }

    /// <summary>A table and queue name prefix no other test uses.</summary>
    public static string UniqueResourcePrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + "-";

    /// <summary>Starts the processes again on the same storage (after a stop or a crash).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        Client?.Dispose();
        if (Sender is not null)
        {
            await Sender.DisposeAsync();
            Sender = null;
        }

        Process = await NotifyProcess.StartFrontendAsync(_settings);
        _started.Add(($"Frontend #{_started.Count(p => p.Name.StartsWith("Frontend", StringComparison.Ordinal)) + 1}", Process));
        Client = new NotifyClient(Process.BaseAddress, _settings.GetValueOrDefault("Notify:Auth:AdminKey"));
        if (Deployment == Deployment.Aws)
        {
            Sender = await NotifyProcess.StartSenderAsync(new Dictionary<string, string?>(_settings)
            {
                ["Notify:PublicBaseUrl"] = Process.BaseAddress.AbsoluteUri,
            });
            _started.Add(($"Sender #{_started.Count(p => p.Name.StartsWith("Sender", StringComparison.Ordinal)) + 1}", Sender));
        }
    }

    /// <summary>
    /// GETs <paramref name="path"/> until its JSON meets <paramref name="condition"/>: for state another
    /// process writes (a Sender recording an outcome), which the test can only see through the API. Asked
    /// every 100 ms; after <paramref name="patience"/> it fails with the last answer and every log.
    /// </summary>
    public async Task<JsonElement> PollAsync(string path, Func<JsonElement, bool> condition, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var current = await NotifyClient.ExpectJsonAsync(await Client.Http.GetAsync(path), 200);
            if (condition(current))
            {
                return current;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}: {current}\n{Logs}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What every process this service started printed, in start order: for a failing test's output.</summary>
    public string Logs => string.Join("\n", _started.Select(p => $"----- {p.Name} (pid {p.Process.Id}) -----\n{p.Process.Output}"));

    /// <summary>Runs <paramref name="check"/>; when it throws, writes <see cref="Logs"/> to the test's output first.</summary>
    public async Task ExplainFailureAsync(Xunit.Abstractions.ITestOutputHelper output, Func<Task> check)
    {
        try
        {
            await check();
        }
        catch
        {
            output.WriteLine(Logs);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Sender is not null)
        {
            await Sender.DisposeAsync();
        }

        if (Process is not null)
        {
            await Process.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; the data directory is under the temp folder.
        }
    }
}
