using System.Globalization;

namespace Notify.Shared.Redis;

/// <summary>
/// One ring node as configured. <see cref="Name"/> is what the node is hashed by, so it is normalised
/// (trimmed, host in lower case) for processes whose settings differ only in spelling.
/// </summary>
public sealed record RedisNodeAddress(string Host, int Port)
{
    public string Name { get; } = (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    public override string ToString() => Name;

    /// <summary>Parses a comma-separated <c>host:port</c> list; empty entries (a trailing comma) are ignored.</summary>
    /// <param name="error">Names the first bad entry and says what is wrong with it.</param>
    public static bool TryParseList(string value, out IReadOnlyList<RedisNodeAddress> nodes, out string? error)
    {
        var parsed = new List<RedisNodeAddress>();
        nodes = parsed;
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParse(raw, out var node, out var problem))
            {
                error = $"'{raw}' is not host:port (e.g. cache-1.internal:6379): {problem}.";
                return false;
            }

            if (parsed.Any(existing => existing.Name == node.Name))
            {
                error = $"'{raw}' is listed twice; each node may appear once.";
                return false;
            }

            parsed.Add(node);
        }

        error = parsed.Count == 0 ? "the list names no node; leave it unset for no Redis tier." : null;
        return error is null;
    }

    private static bool TryParse(string entry, out RedisNodeAddress node, out string? problem)
    {
        node = null!;
        var colon = entry.LastIndexOf(':');
        if (colon <= 0)
        {
            problem = colon == 0 ? "the host is missing" : "the port is missing";
            return false;
        }

        var host = entry[..colon].ToLowerInvariant();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            problem = $"'{host}' is not a host name or IP address";
            return false;
        }

        if (!int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = "the port must be a number from 1 to 65535";
            return false;
        }

        node = new RedisNodeAddress(host, port);
        problem = null;
        return true;
    }
}
