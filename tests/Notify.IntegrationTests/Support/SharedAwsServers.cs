using Notify.TestServers;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// One set of local AWS servers and Redis nodes for every Aws-mode test in the run that does not harm
/// them; each service under test keeps to its own tables and queue through its resource prefix. Tests
/// that kill a server start their own <see cref="AwsServers"/>. Started by the first test that needs
/// them, stopped by <see cref="IntegrationTestFramework"/> once every test has finished.
/// </summary>
internal static class SharedAwsServers
{
    private static readonly Lazy<Task<AwsServers>> Servers = new(StartAsync);

    public static Task<AwsServers> GetAsync() => Servers.Value;

    /// <summary>Stops the servers, if a test started them (a start that failed stopped what it had started).</summary>
    public static async Task StopAsync()
    {
        if (Servers.IsValueCreated && Servers.Value.IsCompletedSuccessfully)
        {
            await (await Servers.Value).DisposeAsync();
        }
    }

    private static async Task<AwsServers> StartAsync()
    {
        var servers = new AwsServers();
        await servers.InitializeAsync();
        return servers;
    }
}
