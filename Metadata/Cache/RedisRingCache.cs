using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notify.Shared.Redis;
using StackExchange.Redis;

namespace Notify.Metadata.Cache;

/// <summary>
/// The distributed tier of the metadata cache: each key lives on the ring node that owns it, as JSON, for
/// at most <see cref="RedisOptions.Ttl"/>. An owner that is down, fails or is slow makes the call a miss
/// (reads) or a no-op (writes): the database behind the cache answers instead, so a dead node costs
/// latency, never errors. Keys do not move to another node while their owner is down: that node would
/// hold copies nobody invalidates once the owner is back.
/// </summary>
/// <remarks>
/// <para>
/// Refills are checked against a generation mark, <c>gen:{key}</c>, kept beside the entry on its owner. A
/// miss reads the mark in the same script (one round trip), first setting it to a fresh random value if it
/// is absent, and that value is the refill ticket. An invalidation deletes the entry and the mark in one
/// DEL. A refill stores its value, in one script, only while the mark still holds the ticket's value. So a
/// reader that fetched the database before a write cannot put that old value back once the write's
/// invalidation ran: the invalidation took the mark away, and a mark set by a later miss is another random
/// value. The check is exact, not a matter of timing.
/// </para>
/// <para>
/// Why a random value and not a counter: a node that loses its data (flushed on re-admission, restarted)
/// or a mark that expires would restart a counter at a value an old ticket may hold, and let that ticket's
/// refill in; an absent or fresh random mark never matches an old ticket (a version-4 GUID: 122 random bits).
/// For the same reason a miss sets the mark rather than reading "no mark" as a generation of its own.
/// The mark expires with the entry's TTL: it only has to outlive the database read between a miss and
/// its refill, and a refill later than that is dropped, which costs one more miss.
/// </para>
/// </remarks>
internal sealed partial class RedisRingCache(RedisNodePool pool, IOptions<RedisOptions> options, ILogger<RedisRingCache> logger) : IMetadataCache
{
    // Not a prefix of any cache key ("topic:", "subscribers:") nor of the dedup store's ("dedup:").
    private const string GenerationPrefix = "gen:";

    // KEYS[1] the entry, KEYS[2] its mark; ARGV[1] a fresh mark, ARGV[2] the TTL in ms. A hit returns
    // {entry} and writes nothing; a miss returns {false, mark}, marking the key first if need be.
    private const string LookupScript = """
        local entry = redis.call('GET', KEYS[1])
        if entry then
          return {entry}
        end
        redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2])
        return {false, redis.call('GET', KEYS[2])}
        """;

    // The mark alone, for an entry that is there but cannot be read and is to be replaced.
    private const string MarkScript = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
        return redis.call('GET', KEYS[1])
        """;

    // KEYS[1] the entry, KEYS[2] its mark; ARGV[1] the mark the miss saw, ARGV[2] the JSON, ARGV[3] the TTL.
    private const string RefillScript = """
        if redis.call('GET', KEYS[2]) == ARGV[1] then
          redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
          return 1
        end
        return 0
        """;

    // Source-generated for the cached types; reflection only for a type someone caches later without
    // adding it to the context, rather than failing that call.
    private static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CacheJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly RedisValue _ttlMilliseconds = (long)options.Value.Ttl.TotalMilliseconds;

    public async ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var node = pool.Owner(key);
        var lookup = (Keys: Keys(key), Arguments: new[] { FreshMark(), _ttlMilliseconds });
        var reply = await node.RunAsync(lookup, static (database, lookup) =>
            database.ScriptEvaluateAsync(LookupScript, lookup.Keys, lookup.Arguments), cancellationToken);
        if (!reply.Succeeded || (RedisResult[]?)reply.Value is not { Length: > 0 } parts)
        {
            return CacheLookup<T>.Miss(default);
        }

        if (parts.Length > 1)
        {
            return CacheLookup<T>.Miss(Ticket((RedisValue)parts[1]));
        }

        try
        {
            var value = JsonSerializer.Deserialize((byte[]?)parts[0] ?? [], TypeInfo<T>());
            if (value is not null)
            {
                return CacheLookup<T>.Hit(value);
            }
        }
        catch (JsonException)
        {
            // Written by a version of Notify whose models differ: read the database and overwrite it.
            Log.Unreadable(logger, key, node.Name);
        }

        // A second round trip, but only for an entry that has to be replaced anyway.
        var mark = (Key: (RedisKey)(GenerationPrefix + key), Arguments: lookup.Arguments);
        var marked = await node.RunAsync(mark, static (database, mark) =>
            database.ScriptEvaluateAsync(MarkScript, [mark.Key], mark.Arguments), cancellationToken);
        return CacheLookup<T>.Miss(marked.Succeeded ? Ticket((RedisValue)marked.Value) : default);
    }

    public async ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class
    {
        // No ticket of this cache (the node could not answer at the miss): nothing proves the value current.
        if (ticket.State is not Generation generation)
        {
            return;
        }

        var refill = (Keys: Keys(key), Arguments: new[] { generation.Mark, (RedisValue)JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>()), _ttlMilliseconds });
        await pool.Owner(key).RunAsync(refill, static (database, refill) =>
            database.ScriptEvaluateAsync(RefillScript, refill.Keys, refill.Arguments), cancellationToken);
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        // The store has already changed, so the delete runs even if the caller gives up (it is bounded by
        // the operation timeout): a cancelled invalidation would leave a stale entry for the whole TTL.
        // Entry and mark go in one DEL, so no refill from a miss before it can get in after it.
        var node = pool.Owner(key);
        var reply = await node.RunAsync(Keys(key), static (database, keys) => database.KeyDeleteAsync(keys), CancellationToken.None);
        if (!reply.Succeeded)
        {
            node.NoteMissedRemoval();
        }
    }

    /// <summary>The entry and its generation mark: both on the owner of the entry's key.</summary>
    private static RedisKey[] Keys(string key) => [key, GenerationPrefix + key];

    private static RedisValue FreshMark() => Guid.NewGuid().ToByteArray();

    private static RefillTicket Ticket(RedisValue mark) => mark.IsNull ? default : new RefillTicket(new Generation(mark));

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T));

    /// <summary>The mark a miss saw: this cache's ticket.</summary>
    private sealed record Generation(RedisValue Mark);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cache entry {Key} on node {Node} could not be read and counts as a miss", EventName = "CacheEntryUnreadable")]
        public static partial void Unreadable(ILogger logger, string key, string node);
    }
}
