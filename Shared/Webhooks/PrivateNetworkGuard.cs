using System.Net;
using System.Net.Sockets;

namespace Notify.Shared.Webhooks;

/// <summary>
/// Keeps webhooks from reaching the service's own network (SSRF): every address that IANA's
/// special-purpose registries mark not globally reachable (<see cref="SpecialPurposeAddresses"/>), IPv6
/// outside global unicast, and translation forms (NAT64, 6to4) that embed such an IPv4 address, unless
/// <see cref="WebhookOptions.AllowPrivateNetworks"/> is set. The Frontend checks an endpoint when it is
/// subscribed; the Sender checks again the very address each connection is made to, because a host name
/// may resolve differently later (DNS rebinding).
/// </summary>
public static class PrivateNetworkGuard
{
    private const string Advice = "set Notify:Webhooks:AllowPrivateNetworks=true to allow it";

    /// <summary>True when <paramref name="address"/> may be reached from anywhere on the internet, so a webhook may call it.</summary>
    public static bool IsGloballyReachable(IPAddress address) => Classify(address) is null;

    /// <summary>
    /// Resolves the endpoint's host (an IP literal or a DNS name) and returns null when every address is
    /// allowed, else a reason a person can act on, such as "resolves to 10.0.0.5, a private address
    /// (RFC 1918), which is not globally reachable; set Notify:Webhooks:AllowPrivateNetworks=true to allow it". A host that does not resolve is
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

    /// <summary>What kind of forbidden address this is ("a private address (RFC 1918)"), or null when it is globally reachable.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return SpecialPurposeAddresses.Find(SpecialPurposeAddresses.IPv4, address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        // First: IPNetwork.Contains would judge a mapped address as the IPv4 address inside it.
        if (address.IsIPv4MappedToIPv6)
        {
            return SpecialPurposeAddresses.IPv4Mapped;
        }

        if (SpecialPurposeAddresses.Find(SpecialPurposeAddresses.IPv6, address) is { } category)
        {
            return category;
        }

        // Translation forms reach the IPv4 address they embed: judge that one.
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (SpecialPurposeAddresses.Nat64.Contains(address))
        {
            return Embedded(bytes[12..], "a NAT64 address (RFC 6052)");
        }

        if (SpecialPurposeAddresses.SixToFour.Contains(address))
        {
            return Embedded(bytes[2..6], "a 6to4 address (RFC 3056)");
        }

        return SpecialPurposeAddresses.GlobalUnicast.Contains(address)
            ? null
            : "an address outside IPv6 global unicast space (2000::/3, RFC 4291)";
    }

    private static string? Embedded(ReadOnlySpan<byte> v4, string form)
    {
        var embedded = new IPAddress(v4);
        return SpecialPurposeAddresses.Find(SpecialPurposeAddresses.IPv4, embedded) is { } category
            ? $"{form} embedding {embedded}, {category}"
            : null;
    }

    /// <summary>The reason given for refusing <paramref name="address"/> (a <see cref="Classify"/> result).</summary>
    public static string Describe(IPAddress address, string category) =>
        $"resolves to {address}, {category}, which is not globally reachable; {Advice}";

    /// <summary>An IP literal as itself (brackets around IPv6 tolerated), anything else through DNS.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address)
            ? [address]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
    }
}
