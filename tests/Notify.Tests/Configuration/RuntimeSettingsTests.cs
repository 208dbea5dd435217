using System.Text.Json;

namespace Notify.Tests.Configuration;

/// <summary>
/// The runtime settings the services ship with, as written into their runtimeconfig.json by the build:
/// tiered PGO is off in both services because its instrumented tier made a warming service markedly
/// slower (see the comment in their project files and docs/benchmarks.md).
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("Notify.Frontend")]
    [InlineData("Notify.Sender")]
    public void Service_RunsWithTieredPgoOff_AndServerGc(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
    }
}
