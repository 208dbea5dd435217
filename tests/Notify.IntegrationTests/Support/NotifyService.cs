namespace Notify.IntegrationTests.Support;

/// <summary>
/// A Notify service under test: its own data directory (kept across restarts until disposed), the
/// running process, and a client holding the admin key.
/// </summary>
public sealed class NotifyService : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-2f8b6c1e9d";

    private readonly Dictionary<string, string?> _settings;

    private NotifyService(Dictionary<string, string?> settings, string dataDirectory)
    {
        _settings = settings;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public NotifyProcess Process { get; private set; } = null!;

    public NotifyClient Client { get; private set; } = null!;

    /// <summary>
    /// Starts a Frontend (with its in-process Sender) on a fresh data directory. Retries are short so
    /// tests are quick; the settings in <paramref name="overrides"/> win.
    /// </summary>
    public static async Task<NotifyService> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new Dictionary<string, string?>
        {
            ["Notify:DataDirectory"] = dataDirectory,
            ["Notify:Auth:AdminKey"] = AdminKey,
            ["Notify:Webhooks:AllowPrivateNetworks"] = "true",
            ["Notify:Webhooks:BaseDelay"] = "00:00:00.200",
            ["Notify:Webhooks:MaxDelay"] = "00:00:02",
            ["Notify:Webhooks:AttemptTimeout"] = "00:00:05",
            ["Notify:Sender:VisibilityTimeout"] = "00:00:05",
            ["Notify:Sender:WaitTime"] = "00:00:01",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var service = new NotifyService(settings, dataDirectory);
        await service.RestartAsync();
        return service;
    }

    /// <summary>Starts the process again on the same data directory (after a stop or a crash).</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        Client?.Dispose();
        Process = await NotifyProcess.StartFrontendAsync(_settings);
        Client = new NotifyClient(Process.BaseAddress, _settings.GetValueOrDefault("Notify:Auth:AdminKey"));
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
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
