using System.Diagnostics;
using System.Globalization;

namespace Notify.TestServers;

/// <summary>
/// An SQS server (in memory) speaking SQS's JSON protocol, which the AWS SDK's client uses: moto's
/// server, run through <c>tests/servers/moto_sqs_server.py</c>, which serializes its queue operations: moto's
/// own queues take no lock, so concurrent requests could hand one message to two receives and lose a message
/// sent while another was deleted (see the script). It keeps SQS's semantics where Notify depends on them:
/// visibility timeouts that expire, ChangeMessageVisibility (to zero: a hand-back), long polling, receipt
/// handles per receive, ApproximateReceiveCount and the depth attributes.
/// </summary>
/// <remarks>
/// sqslite (npm), the other local SQS server tried, implements none of these: hidden messages never come
/// back, WaitTimeSeconds is ignored, every handle is accepted, and DeleteMessageBatch deletes the
/// messages it was not given. Tests against it would pass for a queue that loses messages.
/// </remarks>
public sealed class SqsServer : LocalServer
{
    public Uri ServiceUrl => new($"http://127.0.0.1:{Port}");

    protected override ProcessStartInfo CreateStartInfo(int port)
    {
        // test.sh installs moto into tests/servers/.venv where the system's Python does not have it.
        var venv = System.IO.Path.Combine(ServersFolder.Path, ".venv", "bin", "python3");
        var script = System.IO.Path.Combine(ServersFolder.Path, "moto_sqs_server.py");
        var info = new ProcessStartInfo(File.Exists(venv) ? venv : "python3", [script, "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]);
        // Each server has its own in-memory state; account and region are the defaults the clients sign for.
        info.Environment["MOTO_ALLOW_NONEXISTENT_REGION"] = "true";
        return info;
    }
}
