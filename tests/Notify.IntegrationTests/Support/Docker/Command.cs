using System.Diagnostics;

namespace Notify.IntegrationTests.Support.Docker;

/// <summary>A command of a Dockerfile run as written: the program with its arguments, no shell around it.</summary>
public static class Command
{
    /// <summary>Runs <paramref name="command"/>; returns its exit code and what it printed (stdout, then stderr).</summary>
    /// <exception cref="TimeoutException">It ran longer than <paramref name="patience"/> (it is killed).</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyList<string> command, TimeSpan patience, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(command[0], command.Skip(1))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not end within {patience.TotalSeconds:F0} s");
        }

        return (process.ExitCode, (await output) + (await error));
    }
}
