using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Notify.TestServers;

public static class FreePort
{
    // Ports already handed out by this process: the OS may give a just-released port to the next bind(0),
    // and two servers of one test run told the same port would start one on the other's address.
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>A loopback TCP port free at the time of the call, and never handed out before by this process.</summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }
    }
}
