using System.Net;
using Notify.Shared.Webhooks;

namespace Notify.Tests.Webhooks;

/// <summary>
/// The address table against IANA's special-purpose registries: every block, its first and last address,
/// the addresses just outside it, and the IPv4 forms IPv6 can carry.
/// </summary>
public sealed class PrivateNetworkGuardTests
{
    /// <summary>Addresses a webhook may not reach, with a fragment of the reason given.</summary>
    public static readonly TheoryData<string, string> Refused = new()
    {
        // IPv4 (RFC 6890 and the registry's later entries)
        { "0.0.0.0", "unspecified" },
        { "0.255.255.255", "unspecified" },
        { "10.0.0.0", "private address (RFC 1918)" },
        { "10.255.255.255", "private address (RFC 1918)" },
        { "100.64.0.0", "carrier-grade NAT" },
        { "100.127.255.255", "carrier-grade NAT" },
        { "100.100.100.200", "cloud metadata" },
        { "127.0.0.0", "loopback" },
        { "127.0.0.1", "loopback" },
        { "127.255.255.255", "loopback" },
        { "169.254.0.0", "link-local" },
        { "169.254.255.255", "link-local" },
        { "169.254.169.254", "cloud metadata" },
        { "172.16.0.0", "private address (RFC 1918)" },
        { "172.31.255.255", "private address (RFC 1918)" },
        { "192.0.0.0", "IETF protocol assignment" },
        { "192.0.0.8", "IETF protocol assignment" },
        { "192.0.0.9", "IETF protocol assignment" },
        { "192.0.0.10", "IETF protocol assignment" },
        { "192.0.0.170", "IETF protocol assignment" },
        { "192.0.0.255", "IETF protocol assignment" },
        { "192.0.0.192", "cloud metadata" },
        { "192.0.2.0", "documentation address (TEST-NET-1" },
        { "192.0.2.255", "documentation address (TEST-NET-1" },
        { "192.88.99.0", "6to4 relay" },
        { "192.88.99.255", "6to4 relay" },
        { "192.168.0.0", "private address (RFC 1918)" },
        { "192.168.255.255", "private address (RFC 1918)" },
        { "198.18.0.0", "benchmarking" },
        { "198.19.255.255", "benchmarking" },
        { "198.51.100.0", "documentation address (TEST-NET-2" },
        { "198.51.100.255", "documentation address (TEST-NET-2" },
        { "203.0.113.0", "documentation address (TEST-NET-3" },
        { "203.0.113.255", "documentation address (TEST-NET-3" },
        { "224.0.0.0", "multicast" },
        { "239.255.255.255", "multicast" },
        { "240.0.0.0", "reserved" },
        { "255.255.255.254", "reserved" },
        { "255.255.255.255", "limited broadcast" },

        // IPv6
        { "::", "unspecified" },
        { "::1", "loopback" },
        { "::2", "outside IPv6 global unicast" },
        { "::7f00:1", "outside IPv6 global unicast" }, // IPv4-compatible (deprecated, RFC 4291)
        { "::ffff:0:0", "IPv4-mapped" },
        { "::ffff:127.0.0.1", "IPv4-mapped" },
        { "::ffff:10.0.0.1", "IPv4-mapped" },
        { "::ffff:192.0.2.1", "IPv4-mapped" },
        { "::ffff:169.254.169.254", "IPv4-mapped" },
        { "::ffff:8.8.8.8", "IPv4-mapped" },
        { "::ffff:255.255.255.255", "IPv4-mapped" },
        { "::ffff:0:7f00:1", "outside IPv6 global unicast" }, // IPv4-translated (RFC 2765)
        { "64:ff9b::7f00:1", "NAT64 address (RFC 6052) embedding 127.0.0.1, a loopback" },
        { "64:ff9b::a00:1", "embedding 10.0.0.1, a private address" },
        { "64:ff9b::c000:201", "embedding 192.0.2.1, a documentation address" },
        { "64:ff9b::a9fe:a9fe", "embedding 169.254.169.254, a cloud metadata" },
        { "64:ff9b::", "embedding 0.0.0.0, an unspecified" },
        { "64:ff9b:1::", "local-use IPv4/IPv6 translation" },
        { "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", "local-use IPv4/IPv6 translation" },
        { "100::", "discard-only" },
        { "100::ffff:ffff:ffff:ffff", "discard-only" },
        { "100:0:0:1::", "outside IPv6 global unicast" }, // dummy prefix (RFC 9780)
        { "2001::", "IETF protocol assignment" }, // Teredo
        { "2001:0:4136:e378:8000:63bf:3fff:fdd2", "IETF protocol assignment" }, // Teredo
        { "2001:1::1", "IETF protocol assignment" }, // PCP anycast: refused with its /23
        { "2001:2::", "benchmarking" },
        { "2001:2:0:ffff:ffff:ffff:ffff:ffff", "benchmarking" },
        { "2001:3::1", "IETF protocol assignment" }, // AMT
        { "2001:10::1", "IETF protocol assignment" }, // ORCHID
        { "2001:20::1", "IETF protocol assignment" }, // ORCHIDv2
        { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", "IETF protocol assignment" },
        { "2001:db8::", "documentation address (RFC 3849)" },
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "documentation address (RFC 3849)" },
        { "2002::", "6to4 address (RFC 3056) embedding 0.0.0.0" },
        { "2002:7f00:1::1", "embedding 127.0.0.1, a loopback" },
        { "2002:a00:1::1", "embedding 10.0.0.1, a private address" },
        { "2002:c633:6401::", "embedding 198.51.100.1, a documentation address" },
        { "2002:c058:6301::", "embedding 192.88.99.1, a deprecated 6to4 relay" },
        { "2002:e000:1::", "embedding 224.0.0.1, a multicast" },
        { "3fff::", "documentation address (RFC 9637)" },
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", "documentation address (RFC 9637)" },
        { "5f00::", "segment routing" },
        { "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "segment routing" },
        { "fc00::", "unique-local" },
        { "fd12:3456::1", "unique-local" },
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "unique-local" },
        { "fd00:ec2::254", "cloud metadata" },
        { "fe80::", "link-local" },
        { "fe80::1%2", "link-local" },
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "link-local" },
        { "fec0::1", "site-local" },
        { "ff02::1", "multicast" },
        { "ff0e::1", "multicast" },
        { "1000::1", "outside IPv6 global unicast" },
        { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "outside IPv6 global unicast" },
        { "4000::1", "outside IPv6 global unicast" },
        { "fe00::1", "outside IPv6 global unicast" },
    };

    /// <summary>Globally reachable addresses, many just outside a refused block.</summary>
    public static readonly TheoryData<string> Allowed = new()
    {
        "1.0.0.0",
        "1.1.1.1",
        "8.8.8.8",
        "93.184.216.34",
        "9.255.255.255",
        "11.0.0.0",
        "100.63.255.255",
        "100.128.0.0",
        "126.255.255.255",
        "128.0.0.0",
        "169.253.255.255",
        "169.255.0.0",
        "172.15.255.255",
        "172.32.0.0",
        "191.255.255.255",
        "192.0.1.0",
        "192.0.3.0",
        "192.31.196.1", // AS112 (RFC 7535): globally reachable
        "192.52.193.1", // AMT (RFC 7450): globally reachable
        "192.88.98.255",
        "192.88.100.0",
        "192.167.255.255",
        "192.169.0.0",
        "192.175.48.1", // AS112 direct delegation (RFC 7534): globally reachable
        "198.17.255.255",
        "198.20.0.0",
        "198.51.99.255",
        "198.51.101.0",
        "203.0.112.255",
        "203.0.114.0",
        "223.255.255.255",
        "2000::1",
        "2001:200::",
        "2001:4860:4860::8888",
        "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db9::",
        "2002:808:808::1", // 6to4 of 8.8.8.8
        "2002:5db8:d822::1", // 6to4 of 93.184.216.34
        "2606:4700::1111",
        "2606:4700:4700::1111",
        "2620:4f:8000::1", // AS112 direct delegation (RFC 7534): globally reachable
        "3ffe:ffff::1",
        "3fff:1000::",
        "3fff:ffff::1",
        "64:ff9b::808:808", // NAT64 of 8.8.8.8
        "64:ff9b::5db8:d822", // NAT64 of 93.184.216.34
        "64:ff9b::101:101", // NAT64 of 1.1.1.1
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Classify_ForAnAddressThatIsNotGloballyReachable_SaysWhatItIs(string address, string expected)
    {
        var parsed = IPAddress.Parse(address);

        Assert.False(PrivateNetworkGuard.IsGloballyReachable(parsed));
        Assert.Contains(expected, PrivateNetworkGuard.Classify(parsed));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void IsGloballyReachable_ForAGlobalAddress_IsTrue(string address)
    {
        Assert.True(PrivateNetworkGuard.IsGloballyReachable(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://127.0.0.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://localhost/", "loopback address")]
    [InlineData("http://169.254.169.254/latest", "169.254.169.254, a cloud metadata address")]
    [InlineData("http://[::ffff:10.0.0.1]/", "IPv4-mapped")]
    [InlineData("http://[::ffff:127.0.0.1]/", "IPv4-mapped")]
    [InlineData("http://[::ffff:7f00:1]/", "IPv4-mapped")]
    [InlineData("http://[0:0:0:0:0:ffff:7f00:1]/", "IPv4-mapped")]
    [InlineData("http://[::ffff:0:7f00:1]/", "outside IPv6 global unicast")]
    [InlineData("http://[::1]:8080/hook", "::1, the loopback address")]
    [InlineData("http://[fe80::1%25eth0]/", "a link-local address")]
    [InlineData("https://[fd00:ec2::254]/", "a cloud metadata address")]
    [InlineData("http://[64:ff9b::7f00:1]/", "embedding 127.0.0.1")]
    [InlineData("http://[2002:7f00:1::1]/", "embedding 127.0.0.1")]
    [InlineData("http://2130706433/", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f000001/", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://0177.0.0.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://0x7f.0.0.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://017700000001/", "127.0.0.1, a loopback address")]
    [InlineData("http://127.1/", "127.0.0.1, a loopback address")]
    [InlineData("http://0/", "0.0.0.0, an unspecified")]
    [InlineData("http://192.0.2.1/", "192.0.2.1, a documentation address")]
    [InlineData("http://198.51.100.7/", "198.51.100.7, a documentation address")]
    [InlineData("http://203.0.113.9/", "203.0.113.9, a documentation address")]
    [InlineData("http://[2001:db8::1]/", "2001:db8::1, a documentation address")]
    public async Task CheckEndpoint_ForAnInternalHost_GivesTheReason(string endpoint, string expected)
    {
        var reason = await PrivateNetworkGuard.CheckEndpointAsync(new Uri(endpoint), CancellationToken.None);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason);
        Assert.EndsWith("which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it", reason);
    }

    [Fact]
    public async Task CheckEndpoint_ForAPrivateAddress_SaysWhatItResolvesToAndHowToAllowIt()
    {
        var reason = await PrivateNetworkGuard.CheckEndpointAsync(new Uri("http://10.0.0.5/hook"), CancellationToken.None);

        Assert.Equal(
            "resolves to 10.0.0.5, a private address (RFC 1918), which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it",
            reason);
    }

    [Theory]
    [InlineData("http://93.184.216.34/")]
    [InlineData("https://[2606:4700:4700::1111]/hook?x=1")]
    [InlineData("https://[64:ff9b::808:808]/")]
    public async Task CheckEndpoint_ForAPublicAddress_AllowsIt(string endpoint)
    {
        Assert.Null(await PrivateNetworkGuard.CheckEndpointAsync(new Uri(endpoint), CancellationToken.None));
    }
}
