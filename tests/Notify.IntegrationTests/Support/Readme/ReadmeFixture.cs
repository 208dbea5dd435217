using System.Diagnostics;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>
/// Builds once what the README's <c>dotnet run</c> commands run (the Debug build of the Frontend and the
/// Sender, and the echo webhook), so that each command afterwards only checks that it is up to date.
/// </summary>
public sealed class ReadmeFixture : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    public ReadmeDocument Readme { get; } = ReadmeDocument.Load();

    /// <summary>How long the builds took, for the test output.</summary>
    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await BuildAsync("Frontend/Notify.Frontend.csproj");
        await BuildAsync("samples/echo-webhook.cs");
        BuildTime = watch.Elapsed;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task BuildAsync(string project)
    {
        var info = new ProcessStartInfo("dotnet", ["build", project, "--nologo", "-v", "quiet"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        ShellEnvironment.Apply(info, new Dictionary<string, string?>());
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build {project} took more than {BuildTimeout.TotalMinutes:F0} minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {project} failed:\n{await output}\n{await errors}");
        }
    }
}
