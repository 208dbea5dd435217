using System.Diagnostics;

namespace Notify.TestServers;

/// <summary>
/// A redis-server on a free loopback port, with persistence off: a killed node comes back empty, as a
/// cache node replaced after a crash would.
/// </summary>
public sealed class RedisServer : LocalServer
{
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>When set, clients must AUTH with this password (<c>--requirepass</c>).</summary>
    public string? RequirePassword { get; init; }

    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        const string program = "redis-server";
        if (!File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server"))
        {
            throw new InvalidOperationException("redis-server is not installed: run ./test.sh, which installs it (apt-get install -y redis-server).");
        }

        string[] password = RequirePassword is null ? [] : ["--requirepass", RequirePassword];
        return new ProcessStartInfo(program,
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no", .. password]);
    }
}
