namespace Notify.IntegrationTests.Support.Docker;

/// <summary>
/// A Dockerfile's <c>HEALTHCHECK [options] CMD ["program", "arg", ...]</c>, run as Docker runs it inside
/// the container: the exec form's program with its arguments, no shell around it, the image's
/// environment with the port set to where the process under test listens.
/// </summary>
public sealed record HealthCheck(IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Command)
{
    public static HealthCheck Of(DockerStage stage)
    {
        var arguments = stage.One("HEALTHCHECK").Arguments;
        var at = arguments.IndexOf("CMD ", StringComparison.Ordinal);
        Assert.True(at >= 0, $"HEALTHCHECK without CMD: {arguments}");
        var options = arguments[..at].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(o => o.Split('=', 2))
            .ToDictionary(o => o[0].TrimStart('-'), o => o[1]);
        // The exec form: a shell form would run under /bin/sh, which the test could not vouch for.
        return new HealthCheck(options, Dockerfile.ExecForm(arguments[(at + 4)..].Trim()));
    }

    /// <summary>Runs the command with <paramref name="environment"/>; returns its exit code and what it printed.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan patience) =>
        Docker.Command.RunAsync(Command, patience, environment);
}
