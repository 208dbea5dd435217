using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Notify.Metadata.Cache.Ring;

/// <summary>
/// The distributed tier of the metadata cache: each key lives on the ring node that owns it, as JSON, for
/// at most <see cref="RedisOptions.Ttl"/>. An owner that is down, fails or is slow makes the call a miss
/// (reads) or a no-op (writes): the database behind the cache answers instead, so a dead node costs
/// latency, never errors. Keys do not move to another node while their owner is down: that node would
/// hold copies nobody invalidates once the owner is back.
/// </summary>
internal sealed partial class RedisRingCache(RedisNodePool pool, IOptions<RedisOptions> options, ILogger<RedisRingCache> logger) : IMetadataCache
{
    // Source-generated for the cached types; reflection only for a type someone caches later without
    // adding it to the context, rather than failing that call.
    private static readonly JsonSerializerOptions Json = new()
    {
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CacheJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    private readonly TimeSpan _ttl = options.Value.Ttl;

    public async ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        var node = pool.Owner(key);
        var reply = await node.RunAsync(key, static (database, key) => database.StringGetAsync(key), cancellationToken);
        if (!reply.Succeeded)
        {
            return CacheLookup<T>.Miss(default);
        }

        if (reply.Value.IsNull)
        {
            return CacheLookup<T>.Miss(new RefillTicket(this));
        }

        try
        {
            var value = JsonSerializer.Deserialize((byte[])reply.Value, TypeInfo<T>());
            return value is null ? CacheLookup<T>.Miss(new RefillTicket(this)) : CacheLookup<T>.Hit(value);
        }
        catch (JsonException)
        {
            // Written by a version of Notify whose models differ: read the database and overwrite it.
            Log.Unreadable(logger, key, node.Name);
            return CacheLookup<T>.Miss(new RefillTicket(this));
        }
    }

    public async ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class
    {
        if (ticket.State != this)
        {
            return;
        }

        var entry = (Key: key, Json: JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>()), Ttl: _ttl);
        await pool.Owner(key).RunAsync(entry, static (database, entry) => database.StringSetAsync(entry.Key, entry.Json, entry.Ttl), cancellationToken);
    }

    public async ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        // The store has already changed, so the delete runs even if the caller gives up (it is bounded by
        // the operation timeout): a cancelled invalidation would leave a stale entry for the whole TTL.
        var node = pool.Owner(key);
        var reply = await node.RunAsync(key, static (database, key) => database.KeyDeleteAsync(key), CancellationToken.None);
        if (!reply.Succeeded)
        {
            node.NoteMissedRemoval();
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Json.GetTypeInfo(typeof(T));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cache entry {Key} on node {Node} could not be read and counts as a miss", EventName = "CacheEntryUnreadable")]
        public static partial void Unreadable(ILogger logger, string key, string node);
    }
}
