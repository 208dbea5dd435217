using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Notify.Metadata.Cache;

/// <summary>The in-process tier: objects kept as they are, so a hit costs no deserialization.</summary>
/// <remarks>
/// <para>
/// Refills are checked against a version per stripe of keys: an invalidation bumps its key's stripe, a miss
/// hands out the stripe's version as its ticket, and a refill stores its value only while that version is
/// unchanged. So a reader that fetched the store before a write in this process cannot put the old value
/// back after the write's invalidation. The TTL would bound that, but in Embedded mode this tier is the
/// only one, and this process must not serve its own writes stale even for seconds.
/// </para>
/// <para>
/// Stripes rather than a version per key: a map of every key ever invalidated would only grow, while two
/// keys that share a stripe merely let an invalidation of one drop a refill of the other (one more miss).
/// Check-and-store and bump-and-remove each run under one lock, so neither falls between the other's two
/// steps; only refills and invalidations take it, both after a round trip to the store, never a hit.
/// </para>
/// </remarks>
internal sealed class InProcessMetadataCache : IMetadataCache, IDisposable
{
    // A power of two: the stripe is the low bits of the key's hash.
    private const int Stripes = 1024;

    private readonly MemoryCache _cache;
    private readonly MemoryCacheEntryOptions _entryOptions;
    private readonly Lock _refillGate = new();
    private readonly long[] _versions = new long[Stripes];

    public InProcessMetadataCache(IOptions<MetadataCacheOptions> options, TimeProvider timeProvider)
    {
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.MaxEntries,
            Clock = new SystemClockAdapter(timeProvider),
        });
        _entryOptions = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.Ttl, Size = 1 };
    }

    public ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class
    {
        if (_cache.TryGetValue(key, out var value) && value is T typed)
        {
            return new(CacheLookup<T>.Hit(typed));
        }

        // Read after the miss: an invalidation between the two only makes the ticket newer, and the store
        // read that follows then sees that invalidation's write.
        var stripe = StripeOf(key);
        return new(CacheLookup<T>.Miss(new RefillTicket(new Version(this, stripe, Volatile.Read(ref _versions[stripe])))));
    }

    public ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class
    {
        if (ticket.State is Version version && version.Cache == this && _entryOptions.AbsoluteExpirationRelativeToNow > TimeSpan.Zero)
        {
            lock (_refillGate)
            {
                if (_versions[version.Stripe] == version.Value)
                {
                    _cache.Set(key, value, _entryOptions);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(key);
        lock (_refillGate)
        {
            _versions[stripe]++;
            _cache.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();

    // string.GetHashCode differs between processes, which is fine for stripes that never leave this one.
    private static int StripeOf(string key) => key.GetHashCode() & (Stripes - 1);

    /// <summary>This cache's ticket: the version of the key's stripe when the miss was seen.</summary>
    private sealed record Version(InProcessMetadataCache Cache, int Stripe, long Value);

#pragma warning disable CS0618 // MemoryCache still takes the ISystemClock abstraction for its clock.
    private sealed class SystemClockAdapter(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
#pragma warning restore CS0618
}
