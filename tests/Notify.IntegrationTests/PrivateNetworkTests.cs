using System.Net.Http.Json;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>
/// With the production defaults (AllowPrivateNetworks off, RequireHttps on), webhooks can neither point
/// inside the network, in whatever form the address is written, nor use plain http.
/// </summary>
public sealed class PrivateNetworkTests : IAsyncLifetime
{
    private NotifyService _notify = null!;

    public async Task InitializeAsync() =>
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?>
        {
            ["Notify:Webhooks:AllowPrivateNetworks"] = null,
            ["Notify:Webhooks:RequireHttps"] = null,
        });

    public async Task DisposeAsync() => await _notify.DisposeAsync();

    [Theory]
    [InlineData("https://127.0.0.1:9/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://192.168.0.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://2130706433/hook")]
    [InlineData("https://0x7f.1/hook")]
    [InlineData("https://0177.0.0.1/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[::ffff:7f00:1]/hook")]
    [InlineData("https://[::ffff:8.8.8.8]/hook")]
    [InlineData("https://[fe80::1%25eth0]/hook")]
    [InlineData("https://[64:ff9b::a00:1]/hook")]
    [InlineData("https://[2002:c0a8:1::1]/hook")]
    [InlineData("https://192.0.2.1/hook")]
    [InlineData("https://198.51.100.1/hook")]
    [InlineData("https://203.0.113.1/hook")]
    [InlineData("https://198.18.0.1/hook")]
    [InlineData("https://[2001:db8::1]/hook")]
    [InlineData("https://[3fff::1]/hook")]
    public async Task Subscribe_ToAnAddressThatIsNotGloballyReachable_Answers400(string endpoint)
    {
        await _notify.Client.CreateTopicAsync("ssrf");
        using var response = await _notify.Client.Http.PostAsJsonAsync("v1/topics/ssrf/subscriptions", new { protocol = "webhook", endpoint });
        var detail = await ProblemAssert.IsProblemAsync(response, 400, "not globally reachable");
        Assert.Contains("Notify:Webhooks:AllowPrivateNetworks", detail);

        var listed = await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync("v1/topics/ssrf/subscriptions"), 200);
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Subscribe_ToAnHttpEndpoint_Answers400NamingRequireHttps()
    {
        await _notify.Client.CreateTopicAsync("plain");
        using var response = await _notify.Client.Http.PostAsJsonAsync(
            "v1/topics/plain/subscriptions", new { protocol = "webhook", endpoint = "http://93.184.216.34/hook" });
        await ProblemAssert.IsProblemAsync(response, 400, "set Notify:Webhooks:RequireHttps=false to allow http");

        var listed = await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync("v1/topics/plain/subscriptions"), 200);
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }
}
