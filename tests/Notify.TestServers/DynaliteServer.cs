using System.Diagnostics;
using System.Globalization;

namespace Notify.TestServers;

/// <summary>dynalite: a DynamoDB server (in memory) speaking DynamoDB's JSON API.</summary>
public sealed class DynaliteServer : LocalServer
{
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    protected override ProcessStartInfo CreateStartInfo(int port) =>
        Node("dynalite/cli.js", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
}
