using System.Net;

namespace Notify.Shared.Webhooks;

/// <summary>
/// The address blocks a webhook may not reach: every entry of IANA's IPv4 and IPv6 Special-Purpose
/// Address Registries (RFC 6890, RFC 8190) whose "Globally Reachable" is False or N/A, plus multicast and
/// a few wider blocks refused whole on purpose (said at each). Checked in order, so a narrow entry (a cloud
/// metadata address) names the address better than the block around it.
/// </summary>
/// <remarks>
/// .NET has no such table (<see cref="IPAddress.IsIPv6LinkLocal"/> and friends cover a handful of
/// blocks), hence this one. IPv6 outside 2000::/3 is refused by <see cref="PrivateNetworkGuard"/> as a
/// whole; the IPv6 entries below that lie outside it are listed for the names they give.
/// </remarks>
internal static class SpecialPurposeAddresses
{
    public static readonly Block[] IPv4 =
    [
        // Cloud metadata services, inside the blocks below; named for a clearer refusal.
        new("169.254.169.254/32", "a cloud metadata address"),
        new("100.100.100.200/32", "a cloud metadata address"),
        new("192.0.0.192/32", "a cloud metadata address"),

        new("0.0.0.0/8", "an unspecified (\"this network\") address (RFC 791, RFC 1122)"),
        new("10.0.0.0/8", "a private address (RFC 1918)"),
        new("100.64.0.0/10", "a shared (carrier-grade NAT) address (RFC 6598)"),
        new("127.0.0.0/8", "a loopback address (RFC 1122)"),
        new("169.254.0.0/16", "a link-local address (RFC 3927)"),
        new("172.16.0.0/12", "a private address (RFC 1918)"),

        // IETF protocol assignments (RFC 6890), refused whole: 192.0.0.9/32 (PCP anycast, RFC 7723) and
        // 192.0.0.10/32 (TURN anycast, RFC 8155) are globally reachable, but no webhook lives on an
        // anycast service address, and the rest of the /24 (RFC 7335, 7600, 8880) is not reachable.
        new("192.0.0.0/24", "an IETF protocol assignment (RFC 6890)"),
        new("192.0.2.0/24", "a documentation address (TEST-NET-1, RFC 5737)"),

        // 6to4 relay anycast, deprecated by RFC 7526.
        new("192.88.99.0/24", "a deprecated 6to4 relay address (RFC 7526)"),
        new("192.168.0.0/16", "a private address (RFC 1918)"),
        new("198.18.0.0/15", "a benchmarking address (RFC 2544)"),
        new("198.51.100.0/24", "a documentation address (TEST-NET-2, RFC 5737)"),
        new("203.0.113.0/24", "a documentation address (TEST-NET-3, RFC 5737)"),

        // Not in the special-purpose registry (it has its own), but a group, never one endpoint.
        new("224.0.0.0/4", "a multicast address (RFC 5771)"),
        new("255.255.255.255/32", "the limited broadcast address (RFC 919, RFC 8190)"),
        new("240.0.0.0/4", "a reserved address (RFC 1112)"),
    ];

    public static readonly Block[] IPv6 =
    [
        // AWS's metadata service on IPv6, inside fc00::/7; named for a clearer refusal.
        new("fd00:ec2::254/128", "a cloud metadata address"),

        new("::/128", "the unspecified address (RFC 4291)"),
        new("::1/128", "the loopback address (RFC 4291)"),

        // ::ffff:0:0/96 is matched by PrivateNetworkGuard (see IPv4Mapped), not here.
        new("64:ff9b:1::/48", "a local-use IPv4/IPv6 translation address (RFC 8215)"),
        new("100::/64", "a discard-only address (RFC 6666)"),

        // Benchmarking lies inside the IETF block below; named for a clearer refusal.
        new("2001:2::/48", "a benchmarking address (RFC 5180)"),

        // IETF protocol assignments (RFC 2928), refused whole: Teredo (2001::/32, RFC 4380) is N/A, and the
        // globally reachable entries inside (anycast PCP/TURN/SRP, AMT, AS112, ORCHIDv2, DETs) are
        // infrastructure or identifiers, never a webhook's host.
        new("2001::/23", "an IETF protocol assignment (Teredo, ORCHID, benchmarking; RFC 2928)"),
        new("2001:db8::/32", "a documentation address (RFC 3849)"),
        new("3fff::/20", "a documentation address (RFC 9637)"),
        new("5f00::/16", "a segment routing (SRv6) SID (RFC 9602)"),
        new("fc00::/7", "a unique-local (private) address (RFC 4193)"),
        new("fe80::/10", "a link-local address (RFC 4291)"),
        new("fec0::/10", "a site-local address (deprecated, RFC 3879)"),
        new("ff00::/8", "a multicast address (RFC 4291)"),
    ];

    /// <summary>
    /// ::ffff:0:0/96, refused whole, whatever IPv4 address it carries: no host publishes one (resolvers
    /// return plain IPv4) and the registry marks the block not globally reachable. Matched with
    /// <see cref="IPAddress.IsIPv4MappedToIPv6"/>: <see cref="IPNetwork.Contains"/> compares such an
    /// address as the IPv4 address it carries, so no IPv6 block can tell it apart.
    /// </summary>
    public const string IPv4Mapped = "an IPv4-mapped address (RFC 4291; write the IPv4 address itself)";

    /// <summary>IANA's global unicast space (RFC 4291, IPv6 Address Space registry): nothing outside it is allocated.</summary>
    public static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    /// <summary>The NAT64 well-known prefix (RFC 6052): globally reachable, but it must not embed a non-global IPv4 address.</summary>
    public static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>6to4 (RFC 3056): 2002:V4ADDR::/48, which reaches the embedded IPv4 address's site.</summary>
    public static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static string? Find(Block[] blocks, IPAddress address)
    {
        foreach (var block in blocks)
        {
            if (block.Network.Contains(address))
            {
                return block.Category;
            }
        }

        return null;
    }

    public sealed record Block(IPNetwork Network, string Category)
    {
        public Block(string cidr, string category)
            : this(IPNetwork.Parse(cidr), category)
        {
        }
    }
}
