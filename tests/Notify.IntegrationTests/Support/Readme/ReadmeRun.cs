using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>
/// The terminals of one reader following the README, in this repository. What the commands write goes to
/// a checkout of the test's own: a temporary folder with a <c>Notify.sln</c> and the project folders'
/// settings, set as each service's content root (<c>ASPNETCORE_CONTENTROOT</c>), so that relative paths
/// (<c>data</c>, <c>mail</c>) land there and never in the real checkout. Every process started is stopped
/// on dispose, whatever happened; <see cref="ExplainFailureAsync"/> shows every terminal's output when a
/// step fails.
/// </summary>
public sealed partial class ReadmeRun : IAsyncDisposable
{
    private readonly List<Terminal> _terminals = [];
    private Shell? _shell;

    public ReadmeRun()
    {
        Checkout = Path.Combine(Path.GetTempPath(), "notify-readme", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Checkout);
        File.WriteAllText(Path.Combine(Checkout, "Notify.sln"), "");
        foreach (var project in new[] { "Frontend", "Sender" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(Checkout, project)).FullName;
            File.Copy(Path.Combine(RepositoryPaths.Root, project, "appsettings.json"), Path.Combine(folder, "appsettings.json"));
        }
    }

    /// <summary>The test's stand-in for the checkout's root, where <c>data/</c> and <c>mail/</c> go.</summary>
    public string Checkout { get; }

    /// <summary>Starts a command that keeps running (a service) in a terminal of its own, in the repository's root.</summary>
    public Terminal Start(string name, string command, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (ProjectOption().Match(command) is { Success: true } project)
        {
            environment["ASPNETCORE_CONTENTROOT"] = Path.Combine(Checkout, project.Groups[1].Value);
        }

        var terminal = Terminal.Start(name, command, RepositoryPaths.Root, environment);
        _terminals.Add(terminal);
        return terminal;
    }

    /// <summary>Terminal 3, where the reader types one command after the other.</summary>
    public async Task<Shell> ShellAsync() => _shell ??= await Shell.StartAsync(RepositoryPaths.Root, new Dictionary<string, string?>());

    public async Task ExplainFailureAsync(ITestOutputHelper output, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            foreach (var terminal in _terminals)
            {
                output.WriteLine($"----- {terminal.Name}: {terminal.Command} -----\n{terminal.Output}");
            }

            if (_shell is not null)
            {
                output.WriteLine($"----- {_shell.Name} -----\n{_shell.Transcript}");
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_shell is not null)
        {
            await _shell.DisposeAsync();
        }

        // The last started first: the Sender before the Frontend it reads from.
        for (var i = _terminals.Count - 1; i >= 0; i--)
        {
            await _terminals[i].DisposeAsync();
        }

        try
        {
            Directory.Delete(Checkout, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; it is under the temp folder.
        }
    }

    [GeneratedRegex(@"--project\s+(\w+)")]
    private static partial Regex ProjectOption();
}
