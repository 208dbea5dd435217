using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notify.Frontend.Extensions;
using Notify.Metadata.Extensions;
using Notify.Sender;
using Notify.Shared.Queue;

namespace Notify.Cdk.Tests.Support;

/// <summary>
/// Notify's own Frontend and Sender registrations, configured with the environment and secrets a
/// synthesized task definition gives its container: what the stack must provide is read from the code
/// that will run, not restated in the tests.
/// </summary>
public static class NotifyProcesses
{
    /// <summary>The services, by their containers' names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Frontend", "Sender"];

    /// <summary>
    /// Stand-ins for values resolved only at deployment (CloudFormation functions in the template) and for
    /// secrets, by variable. A new deployment-time value fails here until it is given one, on purpose.
    /// </summary>
    private static readonly Dictionary<string, string> DeploymentValues = new()
    {
        ["Notify__Aws__Region"] = "eu-west-1",
        ["Notify__Redis__Nodes"] = "ring-1.cache.example:6379,ring-2.cache.example:6379",
        ["Notify__PublicBaseUrl"] = "http://notify-lb.example",
        ["Notify__Links__TokenKey"] = Convert.ToBase64String(new byte[32]),
    };

    public static JsonElement Container(SynthesizedStack stack, string name) =>
        stack.OfType("AWS::ECS::TaskDefinition")
            .SelectMany(t => t.Properties.GetProperty("ContainerDefinitions").EnumerateArray())
            .Single(c => c.GetProperty("Name").GetString() == name);

    public static Dictionary<string, JsonElement> Environment(SynthesizedStack stack, string name) =>
        Container(stack, name).GetProperty("Environment").EnumerateArray()
            .ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("Value"));

    public static Dictionary<string, JsonElement> Secrets(SynthesizedStack stack, string name) =>
        Container(stack, name).TryGetProperty("Secrets", out var secrets)
            ? secrets.EnumerateArray().ToDictionary(e => e.GetProperty("Name").GetString()!, e => e.GetProperty("ValueFrom"))
            : [];

    /// <summary>The container's settings as Notify reads them (<c>A__B</c> is <c>A:B</c>), secrets with stand-in values.</summary>
    public static Dictionary<string, string?> Configuration(SynthesizedStack stack, string name)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (key, value) in Environment(stack, name))
        {
            values[key.Replace("__", ":", StringComparison.Ordinal)] = value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : DeploymentValues.TryGetValue(key, out var standIn) ? standIn : throw new InvalidOperationException($"{key} is resolved at deployment: give it a stand-in value.");
        }

        foreach (var key in Secrets(stack, name).Keys)
        {
            values[key.Replace("__", ":", StringComparison.Ordinal)] = DeploymentValues.GetValueOrDefault(key, "stand-in-secret-value");
        }

        return values;
    }

    public static WebApplicationBuilder Frontend(SynthesizedStack stack)
    {
        var builder = Builder(stack, "Frontend");
        builder.AddNotifyFrontend();
        return builder;
    }

    /// <summary>What Sender/Program.cs registers.</summary>
    public static WebApplicationBuilder Sender(SynthesizedStack stack)
    {
        var builder = Builder(stack, "Sender");
        builder.AddNotifyQueue();
        builder.AddNotifyMetadata(inProcessTier: false);
        builder.AddNotifySender();
        return builder;
    }

    private static WebApplicationBuilder Builder(SynthesizedStack stack, string name)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(Configuration(stack, name));
        return builder;
    }

    public static ServiceProvider Build(WebApplicationBuilder builder) => builder.Services.BuildServiceProvider();
}
