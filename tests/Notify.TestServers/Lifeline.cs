using System.Diagnostics;

namespace Notify.TestServers;

/// <summary>
/// Starts a server process that cannot outlive the test process, however that ends: disposed, crashed,
/// or killed by the test runner before its clean-up ran (which is how the run's shared Redis nodes, moto
/// and dynalite used to be left behind). The server runs as the child of a small bash script whose
/// stdin is a pipe from the test process; when the test process is gone, even by <c>kill -9</c>, the
/// pipe reaches its end and the script kills the server. The script forwards SIGTERM and SIGINT to the
/// server, exits with the server's exit code, and is what <see cref="Process.Id"/> names; killing its
/// process tree kills the server.
/// </summary>
public static class Lifeline
{
    // `read -t 1` answers 0 for a line (never sent), above 128 for the timeout or a signal, and 1 at
    // the end of the input. The loop also ends when the server exits by itself, within a second.
    private const string Script = """
        "$@" </dev/null &
        server=$!
        trap 'kill -TERM "$server" 2>/dev/null' TERM INT
        while kill -0 "$server" 2>/dev/null; do
          read -r -t 1 _
          status=$?
          if [ "$status" -ne 0 ] && [ "$status" -le 128 ]; then
            kill -KILL "$server" 2>/dev/null
            break
          fi
        done
        wait "$server" 2>/dev/null
        """;

    /// <summary>
    /// Starts <paramref name="server"/> (its program, arguments, environment and working directory) on a
    /// lifeline. Its output is redirected; the caller begins reading it.
    /// </summary>
    public static Process Start(ProcessStartInfo server)
    {
        var info = new ProcessStartInfo("bash", ["-c", Script, "lifeline", server.FileName, .. server.ArgumentList])
        {
            WorkingDirectory = server.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment.Clear();
        foreach (var (key, value) in server.Environment)
        {
            info.Environment[key] = value;
        }

        // The pipe's writing end stays open in this process, unused, for as long as the Process object lives.
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {server.FileName}.");
    }
}
