using System.Diagnostics;
using System.Text;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>
/// An interactive terminal of the README (terminal 3): one bash that reads the commands one after the
/// other from its input, so that what one sets (<c>export KEY=...</c>, <c>auth=(...)</c>) holds for the
/// next, and the test sees each command's output and exit status before it types the next one.
/// </summary>
public sealed class Shell : IAsyncDisposable
{
    private const string Done = "__readme_command_done__";

    private readonly Process _process;
    private readonly StringBuilder _transcript = new();
    private readonly Lock _gate = new();
    private readonly List<string> _pending = [];
    private TaskCompletionSource<(int ExitCode, string Output)>? _current;

    private Shell(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
    }

    public string Name => "terminal 3";

    /// <summary>The commands and what they printed, as on the screen.</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
            {
                return _transcript.ToString();
            }
        }
    }

    public static async Task<Shell> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("bash", ["--noprofile", "--norc"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        ShellEnvironment.Apply(info, environment);
        var shell = new Shell(Process.Start(info)!);
        await shell._process.StandardInput.WriteLineAsync("exec 2>&1");
        return shell;
    }

    /// <summary>Types <paramref name="command"/> and waits for it to finish; returns its exit status and output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string command, TimeSpan timeout)
    {
        var finished = new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _current = finished;
            _pending.Clear();
            _transcript.Append("$ ").Append(command).Append('\n');
        }

        // The marker follows on a line of its own, also after output without a final newline (curl -s).
        await _process.StandardInput.WriteAsync($"{command}\nprintf '\\n{Done} %s\\n' \"$?\"\n");
        await _process.StandardInput.FlushAsync();
        try
        {
            return await finished.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"`{command}` did not finish within {timeout.TotalSeconds:F0} s.");
        }
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (line.StartsWith(Done, StringComparison.Ordinal) && _current is { } current)
            {
                // Drop the line break printed before the marker.
                if (_pending.Count > 0 && _pending[^1].Length == 0)
                {
                    _pending.RemoveAt(_pending.Count - 1);
                }

                var output = string.Join('\n', _pending);
                _transcript.Append(output).Append(output.Length > 0 ? "\n" : "");
                _current = null;
                current.TrySetResult((int.Parse(line[(Done.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture), output));
                return;
            }

            _pending.Add(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
