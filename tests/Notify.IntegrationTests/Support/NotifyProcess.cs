using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Notify.TestServers;

namespace Notify.IntegrationTests.Support;

/// <summary>
/// A real Notify process (the built Frontend or Sender), started with <c>dotnet</c> with settings passed
/// as environment variables, exactly as an operator would run it. It listens on a loopback port the OS
/// gives it (port 0) and the test learns which from the host's "Now listening on" line: a port picked
/// free beforehand could be taken by another server of the test run before the process binds it, and
/// the health check would then pass against that other server.
/// </summary>
public sealed class NotifyProcess : IAsyncDisposable
{
    private const string ListeningLine = "Now listening on: ";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _printed = new(0);
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NotifyProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The address the process listens on; known once <see cref="StartAsync"/> has returned.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The id of the process on whose lifeline Notify runs; killing its tree kills Notify.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the Frontend and waits until <c>/healthz</c> answers.</summary>
    /// <param name="workingDirectory">The process's working directory, and so its content root; by default its build output.</param>
    /// <param name="healthHandler">What asks <c>/healthz</c>: one that trusts the certificate of a Frontend serving HTTPS.</param>
    public static Task<NotifyProcess> StartFrontendAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null, HttpMessageHandler? healthHandler = null) =>
        StartAsync("Frontend", "Notify.Frontend.dll", settings, workingDirectory, healthHandler);

    /// <summary>Starts a standalone Sender and waits until its <c>/healthz</c> answers.</summary>
    /// <param name="workingDirectory">The process's working directory, and so its content root; by default its build output.</param>
    public static Task<NotifyProcess> StartSenderAsync(IReadOnlyDictionary<string, string?> settings, string? workingDirectory = null) =>
        StartAsync("Sender", "Notify.Sender.dll", settings, workingDirectory);

    private static async Task<NotifyProcess> StartAsync(string project, string dll, IReadOnlyDictionary<string, string?> settings, string? workingDirectory, HttpMessageHandler? healthHandler = null)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(RepositoryPaths.Output(project), dll)])
        {
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Output(project),
        };
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Notify"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__")] = value;
        }

        // On a lifeline, so that no Frontend or Sender outlives a test run that ended without disposing it.
        var process = new NotifyProcess(Lifeline.Start(info));
        process.BaseAddress = await process.ListeningAddressAsync();
        await process.WaitForHealthAsync(healthHandler ?? new HttpClientHandler());
        return process;
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        _printed.Release();
        var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
        if (at >= 0)
        {
            // The address ends at a space or, in the JSON console format, at the closing quote.
            var address = line[(at + ListeningLine.Length)..].Trim();
            var end = address.IndexOfAny([' ', '"']);
            _listening.TrySetResult(new Uri((end < 0 ? address : address[..end]) + "/"));
        }
    }

    /// <summary>Waits until the process has printed a line that contains <paramref name="text"/>; returns that line.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_output.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            try
            {
                await _printed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Notify did not print \"{text}\" within {timeout.TotalSeconds:F0} s:\n{Output}");
            }
        }
    }

    private async Task<Uri> ListeningAddressAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first == _listening.Task)
        {
            return await _listening.Task;
        }

        // Let the output of a process that exited at start arrive before showing it.
        await Task.Delay(200);
        throw first == exited
            ? new InvalidOperationException($"Notify exited with code {_process.ExitCode} at start:\n{Output}")
            : new TimeoutException($"Notify did not say where it listens within 60 s:\n{Output}");
    }

    private async Task WaitForHealthAsync(HttpMessageHandler handler)
    {
        using var http = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Notify exited with code {_process.ExitCode} at start:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Notify did not answer /healthz within 60 s:\n{Output}");
    }

    /// <summary>kill -9: no shutdown code runs, as in a crash or a power cut of the process.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (what Ctrl+C and orchestrators send; the lifeline passes it on), then waits for a clean exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, Sigterm);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
    }

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                await CrashAsync();
            }
        }

        _process.Dispose();
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
