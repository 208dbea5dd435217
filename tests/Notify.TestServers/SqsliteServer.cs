using System.Diagnostics;
using System.Globalization;

namespace Notify.TestServers;

/// <summary>sqslite: an SQS server (in memory) speaking SQS's Query protocol.</summary>
public sealed class SqsliteServer : LocalServer
{
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    protected override ProcessStartInfo CreateStartInfo(int port) =>
        Node("sqslite/bin/cli.js", "--port=" + port.ToString(CultureInfo.InvariantCulture));
}
