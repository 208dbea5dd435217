using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Notify.Shared.Configuration;

namespace Notify.Shared.Redis;

/// <summary>
/// The ring of Redis nodes (section <c>Notify:Redis</c>): the metadata cache's shared tier and, in Aws
/// mode, where the Frontends keep their dedup claims. Every process of one
/// installation must list the same nodes (in any order) with the same <see cref="VirtualNodes"/>, or they
/// disagree on which node owns a key.
/// </summary>
public sealed class RedisOptions : IValidatableObject
{
    public const string SectionName = "Notify:Redis";

    /// <summary>
    /// Comma-separated <c>host:port</c> list of the ring's nodes, e.g. <c>cache-1:6379,cache-2:6379</c>.
    /// The nodes belong to Notify alone: a node this process had to stop using is flushed (FLUSHDB) before
    /// it is used again.
    /// </summary>
    /// <value>The default is none: no Redis tier.</value>
    public string? Nodes { get; set; }

    /// <summary>
    /// Points each node takes on the ring. More points spread keys more evenly: a node's share deviates
    /// from the mean by about 1/sqrt(points), so 160 points keep nodes within roughly ±8% of each other.
    /// </summary>
    /// <value>The default is 160.</value>
    [Range(16, 4096)]
    public int VirtualNodes { get; set; } = 160;

    /// <summary>How long to wait for a node's connection. Short: an unreachable node must cost little.</summary>
    /// <value>The default is 500 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long one command may take before its node is marked down and the call answers as a miss.
    /// A healthy node answers in well under a millisecond; the database behind the cache is the fallback.
    /// </summary>
    /// <value>The default is 250 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a node marked down is pinged to see whether it can be used again.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a cached entry lives. Writes invalidate their keys at once; the TTL only bounds how long a
    /// stale entry can be served after an invalidation was lost.
    /// </summary>
    /// <value>The default is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The nodes' password (Redis AUTH; ElastiCache's auth token). From configuration or a secret store,
    /// never from code: cached subscriptions carry their confirm and unsubscribe tokens.
    /// </summary>
    /// <value>The default is none.</value>
    public string? Password { get; set; }

    /// <summary>Connect to the nodes over TLS (ElastiCache in-transit encryption).</summary>
    /// <value>The default is false.</value>
    public bool Ssl { get; set; }

    /// <summary>True when <see cref="Nodes"/> names at least one node, i.e. there is a Redis tier.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Nodes);

    /// <summary>
    /// Whether the process uses the Redis ring: in Aws mode with nodes listed (Embedded mode is one process
    /// and keeps its in-process cache and SQLite dedup). Read from configuration, as registrations need it.
    /// </summary>
    public static bool RingIn(IConfiguration configuration) =>
        NotifyOptions.ModeIn(configuration) == NotifyMode.Aws
        && !string.IsNullOrWhiteSpace(configuration[$"{SectionName}:{nameof(Nodes)}"]);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && !RedisNodeAddress.TryParseList(Nodes!, out _, out var error))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Nodes)}: {error}", [nameof(Nodes)]);
        }
    }
}
