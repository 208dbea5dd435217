using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Webhooks;
using Notify.Tests.Webhooks.Support;

namespace Notify.Tests.Webhooks;

public sealed class WebhookPrivateNetworkTests
{
    private static readonly Dictionary<string, string?> Forbidden = new() { ["Notify:Webhooks:AllowPrivateNetworks"] = "false" };

    [Fact]
    public async Task Delivery_ToALoopbackEndpoint_WhenPrivateNetworksAreNotAllowed_IsRefusedAtConnectTimeAndNotRetried()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create(Forbidden);

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(
            "refused: resolves to 127.0.0.1, a loopback address (RFC 1122), which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it",
            result.LastStatus);
        Assert.Empty(delays);
        Assert.Empty(server.Requests);
        Assert.Contains(harness.Logs.GetSnapshot(), e => e.Id.Name == "WebhookRefused");
    }

    [Fact]
    public async Task Delivery_ToLocalhostByName_WhenPrivateNetworksAreNotAllowed_IsRefused()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create(Forbidden);

        var result = await harness.DeliverAsync(new Uri($"http://localhost:{server.BaseUrl.Port}/hook"));

        Assert.False(result.Delivered);
        Assert.Contains("loopback address", result.LastStatus);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Delivery_ToALoopbackEndpoint_WhenPrivateNetworksAreAllowed_Succeeds()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:AllowPrivateNetworks"] = "true" });

        var result = await harness.DeliverAsync(server.Url());

        Assert.True(result.Delivered);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Delivery_ToAnHttpEndpoint_WhenHttpsIsRequired_IsRefusedAndNotRetried()
    {
        await using var server = await WebhookTestServer.StartAsync(200);
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:RequireHttps"] = "true" });

        var (result, delays) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.True(result.Permanent);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("refused: uses http, not https; set Notify:Webhooks:RequireHttps=false to allow it", result.LastStatus);
        Assert.Empty(delays);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Delivery_WhenTheEndpointRedirectsToAPrivateAddress_DoesNotFollowIt()
    {
        // Private networks are allowed here (both servers are on loopback), so only not following stops it.
        await using var inside = await WebhookTestServer.StartAsync(200);
        await using var server = await WebhookTestServer.StartAsync(new WebhookTestServer.Reply(302, Location: inside.Url("admin").ToString()));
        using var harness = WebhookHarness.Create(new Dictionary<string, string?> { ["Notify:Webhooks:MaxAttempts"] = "1" });

        var (result, _) = await harness.RunThroughRetriesAsync(harness.DeliverAsync(server.Url()));

        Assert.False(result.Delivered);
        Assert.Equal("HTTP 302", result.LastStatus);
        Assert.Single(server.Requests);
        Assert.Empty(inside.Requests);
    }

    [Theory]
    [InlineData("Development", null, false)]
    [InlineData("Production", null, true)]
    [InlineData("Staging", null, true)]
    [InlineData("Production", "false", false)]
    [InlineData("Development", "true", true)]
    public void RequireHttps_WhenUnset_IsTrueOutsideDevelopment(string environment, string? configured, bool expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        if (configured is not null)
        {
            builder.Configuration["Notify:Webhooks:RequireHttps"] = configured;
        }

        builder.Services.AddNotifyWebhookOptions();
        using var host = builder.Build();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.RequireHttps);
    }

    [Theory]
    [InlineData("Development", null, true)]
    [InlineData("Production", null, false)]
    [InlineData("Staging", null, false)]
    [InlineData("Development", "false", false)]
    [InlineData("Production", "true", true)]
    public void AllowPrivateNetworks_WhenUnset_FollowsTheEnvironment(string environment, string? configured, bool expected)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        if (configured is not null)
        {
            builder.Configuration["Notify:Webhooks:AllowPrivateNetworks"] = configured;
        }

        builder.Services.AddNotifyWebhookOptions();
        builder.Services.AddNotifyWebhookOptions();
        using var host = builder.Build();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks);
    }
}
