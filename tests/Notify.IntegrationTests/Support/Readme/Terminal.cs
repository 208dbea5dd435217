using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>
/// One terminal of the README running a command that keeps running (<c>dotnet run ...</c>): the command,
/// run by bash as written, in a process group of its own, so that stopping the terminal stops everything
/// it started (<c>dotnet run</c> and the app it runs) as Ctrl+C would: SIGTERM, then SIGKILL.
/// </summary>
public sealed class Terminal : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _printed = new(0);

    private Terminal(string name, string command, Process process)
    {
        Name = name;
        Command = command;
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string Command { get; }

    /// <summary>Everything printed so far, stdout and stderr.</summary>
    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="command"/> with <c>bash -c</c> in <paramref name="workingDirectory"/>.</summary>
    public static Terminal Start(string name, string command, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        // setsid: the bash (and all it starts) get a process group of their own, the one signals go to.
        var info = new ProcessStartInfo("setsid", ["bash", "--noprofile", "--norc", "-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        ShellEnvironment.Apply(info, environment);
        var process = Process.Start(info)!;
        return new Terminal(name, command, process);
    }

    /// <summary>Waits until a printed line matches <paramref name="pattern"/>; returns the match.</summary>
    public Task<Match> WaitForAsync(Regex pattern, TimeSpan timeout, string what) =>
        WaitForAsync(line => pattern.Match(line) is { Success: true } match ? match : null, timeout, what);

    /// <summary>Waits until <paramref name="pick"/> finds what it looks for in a printed line; returns it.</summary>
    public async Task<T> WaitForAsync<T>(Func<string, T?> pick, TimeSpan timeout, string what)
        where T : class
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var exited = _process.HasExited;
            if (exited)
            {
                // Read what it printed last before looking a final time.
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            if (_output.Select(pick).FirstOrDefault(found => found is not null) is { } result)
            {
                return result;
            }

            if (exited)
            {
                throw new InvalidOperationException($"{Name} ended (exit code {_process.ExitCode}) before printing {what}.");
            }

            try
            {
                // Also wakes up now and then to notice an exit.
                await _printed.WaitAsync(TimeSpan.FromSeconds(1), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name} did not print {what} within {timeout.TotalSeconds:F0} s.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        var group = _process.Id;
        if (Signal(group, Sigterm))
        {
            if (!await GroupEndsAsync(group, StopTimeout))
            {
                Signal(group, Sigkill);
                await GroupEndsAsync(group, StopTimeout);
            }
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            _printed.Release();
        }
    }

    /// <summary>Sends <paramref name="signal"/> to every process of the group; false when none is left.</summary>
    private static bool Signal(int group, int signal) => Kill(-group, signal) == 0;

    private static async Task<bool> GroupEndsAsync(int group, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!Signal(group, 0))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private const int Sigterm = 15;
    private const int Sigkill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
