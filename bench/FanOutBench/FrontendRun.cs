using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Notify.Bench.Publish;

namespace Notify.Bench.FanOut;

/// <summary>
/// What the benchmarks that deliver to the <see cref="Receiver"/> share about their command line and the
/// Frontend they start: where its build is, the settings it runs with, and the clean-up whatever happens.
/// </summary>
internal static class FrontendRun
{
    public static string? StringArgument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    public static double DoubleArgument(string[] args, string name, double fallback) =>
        StringArgument(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary><c>--frontend PATH</c>, or the Release build of this checkout; null (with a message) when it is not built.</summary>
    public static string? FrontendDll(string[] args)
    {
        var dll = Path.GetFullPath(StringArgument(args, "--frontend")
            ?? Path.Combine(RepositoryRoot(), "Frontend", "bin", "Release", "net10.0", "Notify.Frontend.dll"));
        if (File.Exists(dll))
        {
            return dll;
        }

        Console.Error.WriteLine($"{dll} does not exist; build it first: dotnet build -c Release Notify.sln");
        return null;
    }

    /// <summary>A new folder for the data directory, under <c>--dir</c> or the system temp folder.</summary>
    public static string DataDirectory(string[] args, string prefix)
    {
        var root = Path.Combine(StringArgument(args, "--dir") ?? Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }

    /// <summary>The Frontend's settings: the defaults, plus what plain-http loopback subscribers need, plus each <c>--frontend-env KEY=VALUE</c>.</summary>
    public static Dictionary<string, string> Environment(string[] args, string dataDirectory, string adminKey)
    {
        var environment = new Dictionary<string, string>
        {
            ["Notify__DataDirectory"] = dataDirectory,
            ["Notify__Auth__AdminKey"] = adminKey,
            // The subscribers are plain http on loopback, which the Production defaults refuse.
            ["Notify__Webhooks__AllowPrivateNetworks"] = "true",
            ["Notify__Webhooks__RequireHttps"] = "false",
        };
        // Extra settings for a diagnosis, e.g. DOTNET_gcServer=0 or DOTNET_PerfMapEnabled=1.
        foreach (var setting in args.Select((a, i) => (a, i)).Where(p => p.a == "--frontend-env" && p.i + 1 < args.Length).Select(p => args[p.i + 1]))
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            environment[setting[..equals]] = setting[(equals + 1)..];
        }

        return environment;
    }

    /// <summary>
    /// Ctrl+C or a kill cancels <paramref name="cancel"/> instead of ending the process, so the program's
    /// <c>finally</c> kills the Frontend and removes the files. Dispose to stop listening.
    /// </summary>
    public static IDisposable StopOnSignals(CancellationTokenSource cancel)
    {
        PosixSignalRegistration[] registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                cancel.Cancel();
            }))];
        return new Registrations(registrations);
    }

    /// <summary>Runs the benchmark, then kills every Frontend and removes the data directory whatever happened.</summary>
    /// <returns>False when <paramref name="cancel"/> stopped it before the end (a signal).</returns>
    public static async Task<bool> RunAsync(string dataDirectory, CancellationTokenSource cancel, Func<Task> benchmark)
    {
        try
        {
            await benchmark();
            return true;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("Stopped before the end; Frontend killed, files removed.");
            return false;
        }
        finally
        {
            CleanUp(dataDirectory);
        }
    }

    private static void CleanUp(string dataDirectory)
    {
        ServerProcess.KillAll();
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    public static string Load() => "load " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string Met(bool ok) => ok ? "met" : "not met";

    private static string RepositoryRoot() => Notify.Bench.CommandLine.RepositoryRoot();

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
