using System.Diagnostics;
using Notify.TestServers;

namespace Notify.Tests.TestServers;

/// <summary>A server on a lifeline ends with the test process, and otherwise behaves as if started directly.</summary>
public sealed class LifelineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Closing the pipe is what the kernel does when the test process ends, even by kill -9.</summary>
    [Fact]
    public async Task WhenTheTestProcessEndOfItsInputCloses_TheServerIsKilled()
    {
        using var lifeline = Lifeline.Start(new ProcessStartInfo("bash", ["-c", "echo $$; exec sleep 600"]));
        var serverId = int.Parse(await lifeline.StandardOutput.ReadLineAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        using var server = Process.GetProcessById(serverId);

        lifeline.StandardInput.Close();

        using var deadline = new CancellationTokenSource(Patience);
        await server.WaitForExitAsync(deadline.Token);
        await lifeline.WaitForExitAsync(deadline.Token);
        Assert.True(server.HasExited);
    }

    [Fact]
    public async Task ServerThatExitsByItself_EndsTheLifelineWithItsExitCode()
    {
        using var lifeline = Lifeline.Start(new ProcessStartInfo("bash", ["-c", "exit 3"]));

        using var deadline = new CancellationTokenSource(Patience);
        await lifeline.WaitForExitAsync(deadline.Token);

        Assert.Equal(3, lifeline.ExitCode);
    }

    [Fact]
    public async Task SigtermToTheLifeline_ReachesTheServer()
    {
        using var lifeline = Lifeline.Start(new ProcessStartInfo("bash", ["-c", "trap 'kill $!; exit 7' TERM; echo ready; sleep 600 & wait"]));
        Assert.Equal("ready", await lifeline.StandardOutput.ReadLineAsync());

        using (var kill = Process.Start("kill", ["-TERM", lifeline.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(Patience);
        await lifeline.WaitForExitAsync(deadline.Token);
        Assert.Equal(7, lifeline.ExitCode);
    }

    [Fact]
    public async Task ServerGetsTheEnvironmentAndWorkingDirectoryItWasGiven()
    {
        var info = new ProcessStartInfo("bash", ["-c", "echo \"$LIFELINE_PROBE\"; pwd"]) { WorkingDirectory = Path.GetTempPath() };
        info.Environment["LIFELINE_PROBE"] = "a value with spaces";
        using var lifeline = Lifeline.Start(info);

        Assert.Equal("a value with spaces", await lifeline.StandardOutput.ReadLineAsync());
        Assert.Equal(Path.GetFullPath(Path.GetTempPath()).TrimEnd('/'), await lifeline.StandardOutput.ReadLineAsync());
        using var deadline = new CancellationTokenSource(Patience);
        await lifeline.WaitForExitAsync(deadline.Token);
        Assert.Equal(0, lifeline.ExitCode);
    }
}
