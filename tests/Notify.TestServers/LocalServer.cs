using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Notify.TestServers;

/// <summary>
/// A real server process on a free loopback port, started by a test fixture and killed when the
/// fixture is disposed, or on a <see cref="Lifeline"/> when the test process ends without disposing it.
/// A server that cannot start fails the tests with its output: tests never skip because a server is
/// missing (<c>./test.sh</c> installs them all).
/// </summary>
public abstract class LocalServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>Everything the server printed so far.</summary>
    public string Output => string.Join('\n', _output);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The program and arguments that start the server on <paramref name="port"/>.</summary>
    protected abstract ProcessStartInfo CreateStartInfo(int port);

    /// <summary>
    /// The ports that must accept connections before the server counts as started: <see cref="Port"/>,
    /// unless the server listens on more than one (a test must not reach a port still being opened).
    /// </summary>
    protected virtual IEnumerable<int> ReadinessPorts => [Port];

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        await StartAsync();
    }

    /// <summary>Starts the server again on the same port, after <see cref="Kill"/>.</summary>
    public async Task StartAsync()
    {
        var info = CreateStartInfo(Port);
        _process?.Dispose();
        _process = Lifeline.Start(info);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await WaitUntilListeningAsync(info.FileName);
        }
        catch
        {
            // A server that never listened must not stay behind: the caller may not dispose what failed to start.
            Kill();
            throw;
        }
    }

    /// <summary>kill -9: the server vanishes as in a crash.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public virtual Task DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task WaitUntilListeningAsync(string program)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in ReadinessPorts)
        {
            await WaitUntilListeningAsync(program, port, deadline);
        }
    }

    private async Task WaitUntilListeningAsync(string program, int port, DateTime deadline)
    {
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"{GetType().Name} ({program}) exited with code {_process.ExitCode} at start:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{GetType().Name} did not listen on port {port} within 30 s:\n{Output}");
    }

    /// <summary>A script of the project's own in <c>tests/servers</c>, run with the packages <c>npm ci</c> installed there.</summary>
    protected static ProcessStartInfo NodeScript(string script, params string[] arguments)
    {
        if (!Directory.Exists(System.IO.Path.Combine(ServersFolder.Path, "node_modules")))
        {
            throw new InvalidOperationException(
                $"{ServersFolder.Path}/node_modules is missing: run ./test.sh (or `npm ci` in tests/servers) to install the local test servers.");
        }

        return new ProcessStartInfo("node", [System.IO.Path.Combine(ServersFolder.Path, script), .. arguments]) { WorkingDirectory = ServersFolder.Path };
    }

    /// <summary>A program installed by <c>npm ci</c> in <c>tests/servers</c>.</summary>
    protected static ProcessStartInfo Node(string script, params string[] arguments)
    {
        var path = Path.Combine(ServersFolder.Path, "node_modules", script);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: run ./test.sh (or `npm ci` in tests/servers) to install the local test servers.");
        }

        return new ProcessStartInfo("node", [path, .. arguments]);
    }
}
