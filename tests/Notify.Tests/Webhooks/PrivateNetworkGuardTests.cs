using System.Net;
using Notify.Shared.Webhooks;

namespace Notify.Tests.Webhooks;

public sealed class PrivateNetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:a00:1::1")]
    public void IsForbidden_ForInternalAddresses_IsTrue(string address)
    {
        Assert.True(PrivateNetworkGuard.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:93.184.216.34")]
    [InlineData("64:ff9b::5db8:d822")]
    public void IsForbidden_ForPublicAddresses_IsFalse(string address)
    {
        Assert.False(PrivateNetworkGuard.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://localhost/", "a loopback address")]
    [InlineData("http://169.254.169.254/latest", "169.254.169.254, a cloud metadata address")]
    [InlineData("http://[::ffff:10.0.0.1]/", "a private address")]
    [InlineData("http://[::1]:8080/hook", "::1, a loopback address")]
    [InlineData("https://[fd00:ec2::254]/", "a cloud metadata address")]
    [InlineData("http://2130706433/", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f000001/", "127.0.0.1, a loopback address")]
    [InlineData("http://127.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://[0:0:0:0:0:ffff:7f00:1]/", "a loopback address")]
    public async Task CheckEndpoint_ForAnInternalHost_GivesTheReason(string endpoint, string expected)
    {
        var reason = await PrivateNetworkGuard.CheckEndpointAsync(new Uri(endpoint), CancellationToken.None);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason);
        Assert.EndsWith("set Notify:Webhooks:AllowPrivateNetworks=true to allow it", reason);
    }

    [Fact]
    public async Task CheckEndpoint_ForAPrivateAddress_SaysWhatItResolvesToAndHowToAllowIt()
    {
        var reason = await PrivateNetworkGuard.CheckEndpointAsync(new Uri("http://10.0.0.5/hook"), CancellationToken.None);

        Assert.Equal("resolves to 10.0.0.5, a private address; set Notify:Webhooks:AllowPrivateNetworks=true to allow it", reason);
    }

    [Theory]
    [InlineData("http://93.184.216.34/")]
    [InlineData("https://[2606:4700:4700::1111]/hook?x=1")]
    public async Task CheckEndpoint_ForAPublicAddress_AllowsIt(string endpoint)
    {
        Assert.Null(await PrivateNetworkGuard.CheckEndpointAsync(new Uri(endpoint), CancellationToken.None));
    }
}
