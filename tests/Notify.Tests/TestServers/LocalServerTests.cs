using System.Net.Sockets;
using Notify.TestServers;

namespace Notify.Tests.TestServers;

/// <summary>The fixtures start real servers that answer on their ports, and kill them for good.</summary>
public sealed class LocalServerTests
{
    [Fact]
    public async Task Every_server_listens_and_a_killed_one_stops_answering()
    {
        LocalServer[] servers = [new RedisServer(), new DynaliteServer(), new SqsServer(), new MailDevServer()];
        try
        {
            await Task.WhenAll(servers.Select(server => server.InitializeAsync()));
            foreach (var server in servers)
            {
                Assert.True(server.IsRunning, server.GetType().Name);
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", server.Port);
            }

            servers[0].Kill();
            Assert.False(servers[0].IsRunning);
            using var refused = new TcpClient();
            await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync("127.0.0.1", servers[0].Port));
        }
        finally
        {
            await Task.WhenAll(servers.Select(server => server.DisposeAsync()));
        }
    }
}
