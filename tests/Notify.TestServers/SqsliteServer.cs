using System.Diagnostics;
using System.Globalization;

namespace Notify.TestServers;

/// <summary>sqslite: an SQS server (in memory) speaking SQS's Query protocol.</summary>
/// <remarks>
/// sqslite builds queue URLs from the request's Host header but only recognises the ones whose host is
/// literally <c>localhost</c> (its QUEUE_URL_REGEX); a client that called it 127.0.0.1 gets back URLs
/// that sqslite itself then answers NonExistentQueue for. So the service URL says localhost, and the
/// server binds 127.0.0.1 explicitly so that name cannot resolve elsewhere.
/// </remarks>
public sealed class SqsliteServer : LocalServer
{
    public Uri ServiceUrl => new($"http://localhost:{Port}");

    protected override ProcessStartInfo CreateStartInfo(int port) =>
        Node("sqslite/bin/cli.js", "--host=127.0.0.1", "--port=" + port.ToString(CultureInfo.InvariantCulture));
}
