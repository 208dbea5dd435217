using Notify.TestServers;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// One set of local AWS servers and Redis nodes for every Aws-mode test in the run that does not harm
/// them; each service under test keeps to its own tables and queue through its resource prefix. Tests
/// that kill a server start their own <see cref="AwsServers"/>.
/// </summary>
internal static class SharedAwsServers
{
    private static readonly Lazy<Task<AwsServers>> Servers = new(StartAsync);

    public static Task<AwsServers> GetAsync() => Servers.Value;

    private static async Task<AwsServers> StartAsync()
    {
        var servers = new AwsServers();
        await servers.InitializeAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.DisposeAsync().GetAwaiter().GetResult();
        return servers;
    }
}
