using System.Diagnostics;

namespace Notify.IntegrationTests.Support.Readme;

/// <summary>The environment the README's commands run in: a fresh terminal's, plus what the test sets.</summary>
internal static class ShellEnvironment
{
    /// <summary>
    /// Builds leave no server behind (MSBuild nodes, the compiler server): the test must not leave
    /// processes running, and a fresh terminal's `dotnet run` would not find them either.
    /// </summary>
    private static readonly Dictionary<string, string> NoBuildServers = new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["UseSharedCompilation"] = "false",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public static void Apply(ProcessStartInfo info, IReadOnlyDictionary<string, string?> environment)
    {
        // `dotnet test` hands MSBuild's and the test host's settings down to this process; a terminal has none.
        foreach (var key in info.Environment.Keys.Where(IsInherited).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in NoBuildServers)
        {
            info.Environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
    }

    private static bool IsInherited(string key) =>
        key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Notify__", StringComparison.OrdinalIgnoreCase)
        || key is "DOTNET_HOST_PATH" or "DOTNET_ENVIRONMENT";
}
