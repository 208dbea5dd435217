using System.Net.Http.Json;
using Notify.IntegrationTests.Support;

namespace Notify.IntegrationTests;

/// <summary>With AllowPrivateNetworks off (the production default), webhooks cannot point inside the network.</summary>
public sealed class PrivateNetworkTests : IAsyncLifetime
{
    private NotifyService _notify = null!;

    public async Task InitializeAsync() =>
        _notify = await NotifyService.StartAsync(new Dictionary<string, string?> { ["Notify:Webhooks:AllowPrivateNetworks"] = null });

    public async Task DisposeAsync() => await _notify.DisposeAsync();

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task Subscribe_ToPrivateAddress_Answers400(string endpoint)
    {
        await _notify.Client.CreateTopicAsync("ssrf");
        using var response = await _notify.Client.Http.PostAsJsonAsync("v1/topics/ssrf/subscriptions", new { protocol = "webhook", endpoint });
        await ProblemAssert.IsProblemAsync(response, 400, "AllowPrivateNetworks");

        var listed = await NotifyClient.ExpectJsonAsync(await _notify.Client.Http.GetAsync("v1/topics/ssrf/subscriptions"), 200);
        Assert.Equal(0, listed.GetProperty("items").GetArrayLength());
    }
}
