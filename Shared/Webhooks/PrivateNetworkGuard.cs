using System.Net;
using System.Net.Sockets;

namespace Notify.Shared.Webhooks;

/// <summary>
/// Keeps webhooks from reaching the service's own network (SSRF): loopback, private, link-local,
/// shared (CGNAT), unspecified, multicast, broadcast, reserved and cloud-metadata addresses are
/// forbidden unless <see cref="WebhookOptions.AllowPrivateNetworks"/> is set. The Frontend checks an
/// endpoint when it is subscribed; the Sender checks again on every new connection, because a host
/// name may resolve differently later (DNS rebinding).
/// </summary>
public static class PrivateNetworkGuard
{
    private const string Advice = "set Notify:Webhooks:AllowPrivateNetworks=true to allow it";

    // Checked in order, so the specific metadata addresses win over the ranges that contain them.
    private static readonly Range[] V4Ranges =
    [
        new([169, 254, 169, 254], 32, "a cloud metadata address"),
        new([100, 100, 100, 200], 32, "a cloud metadata address"),
        new([192, 0, 0, 192], 32, "a cloud metadata address"),
        new([255, 255, 255, 255], 32, "a broadcast address"),
        new([0, 0, 0, 0], 8, "an unspecified address"),
        new([10, 0, 0, 0], 8, "a private address"),
        new([172, 16, 0, 0], 12, "a private address"),
        new([192, 168, 0, 0], 16, "a private address"),
        new([100, 64, 0, 0], 10, "a shared (carrier-grade NAT) address"),
        new([127, 0, 0, 0], 8, "a loopback address"),
        new([169, 254, 0, 0], 16, "a link-local address"),
        new([192, 0, 0, 0], 24, "a reserved address"),
        new([198, 18, 0, 0], 15, "a reserved address"),
        new([224, 0, 0, 0], 4, "a multicast address"),
        new([240, 0, 0, 0], 4, "a reserved address"),
    ];

    private static readonly Range[] V6Ranges =
    [
        new(IPAddress.Parse("fd00:ec2::254").GetAddressBytes(), 128, "a cloud metadata address"),
        new(IPAddress.IPv6Any.GetAddressBytes(), 128, "an unspecified address"),
        new(IPAddress.IPv6Loopback.GetAddressBytes(), 128, "a loopback address"),
        new(IPAddress.Parse("::").GetAddressBytes(), 96, "a reserved address"),
        new(IPAddress.Parse("64:ff9b:1::").GetAddressBytes(), 48, "a private address"),
        new(IPAddress.Parse("100::").GetAddressBytes(), 64, "a reserved address"),
        new(IPAddress.Parse("fc00::").GetAddressBytes(), 7, "a private address"),
        new(IPAddress.Parse("fe80::").GetAddressBytes(), 10, "a link-local address"),
        new(IPAddress.Parse("fec0::").GetAddressBytes(), 10, "a private address"),
        new(IPAddress.Parse("ff00::").GetAddressBytes(), 8, "a multicast address"),
    ];

    /// <summary>True when a webhook must not connect to <paramref name="address"/>.</summary>
    public static bool IsForbidden(IPAddress address) => Classify(address) is not null;

    /// <summary>
    /// Resolves the endpoint's host (an IP literal or a DNS name) and returns null when every address is
    /// allowed, else a reason a person can act on, such as "resolves to 10.0.0.5, a private address;
    /// set Notify:Webhooks:AllowPrivateNetworks=true to allow it". A host that does not resolve is
    /// refused too, since nothing could be delivered to it.
    /// </summary>
    public static async Task<string?> CheckEndpointAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri)
        {
            return "is not an absolute URL";
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(endpoint.DnsSafeHost, cancellationToken);
        }
        catch (SocketException ex)
        {
            return $"has a host, {endpoint.DnsSafeHost}, that could not be resolved ({ex.SocketErrorCode})";
        }

        if (addresses.Length == 0)
        {
            return $"has a host, {endpoint.DnsSafeHost}, that resolves to no address";
        }

        foreach (var address in addresses)
        {
            if (Classify(address) is { } category)
            {
                return Describe(address, category);
            }
        }

        return null;
    }

    /// <summary>What kind of forbidden address this is ("a private address"), or null when it is allowed.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return "an unrecognised address";
        }

        bytes = bytes[..length];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(bytes, V4Ranges);
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that a gateway will reach.
        if (bytes[..12].SequenceEqual((ReadOnlySpan<byte>)[0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]))
        {
            return Match(bytes[12..], V4Ranges);
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return Match(bytes[2..6], V4Ranges);
        }

        return Match(bytes, V6Ranges);
    }

    /// <summary>The reason given for refusing <paramref name="address"/> (a <see cref="Classify"/> result).</summary>
    public static string Describe(IPAddress address, string category) =>
        $"resolves to {address}, {category}; {Advice}";

    /// <summary>An IP literal as itself (brackets around IPv6 tolerated), anything else through DNS.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address)
            ? [address]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
    }

    private static string? Match(ReadOnlySpan<byte> address, Range[] ranges)
    {
        foreach (var range in ranges)
        {
            if (range.Contains(address))
            {
                return range.Category;
            }
        }

        return null;
    }

    private sealed record Range(byte[] Network, int PrefixLength, string Category)
    {
        public bool Contains(ReadOnlySpan<byte> address)
        {
            if (address.Length != Network.Length)
            {
                return false;
            }

            var whole = PrefixLength / 8;
            if (!address[..whole].SequenceEqual(Network.AsSpan(0, whole)))
            {
                return false;
            }

            var rest = PrefixLength % 8;
            if (rest == 0)
            {
                return true;
            }

            var mask = (byte)(0xFF << (8 - rest));
            return (address[whole] & mask) == (Network[whole] & mask);
        }
    }
}
