using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Notify.Metadata.Cache;

/// <summary>The in-process tier: objects kept as they are, so a hit costs no deserialization.</summary>
internal sealed class InProcessMetadataCache : IMetadataCache, IDisposable
{
    private readonly MemoryCache _cache;
    private readonly MemoryCacheEntryOptions _entryOptions;

    public InProcessMetadataCache(IOptions<MetadataCacheOptions> options, TimeProvider timeProvider)
    {
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = options.Value.MaxEntries,
            Clock = new SystemClockAdapter(timeProvider),
        });
        _entryOptions = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.Ttl, Size = 1 };
    }

    public ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
        new(_cache.TryGetValue(key, out var value) && value is T typed ? CacheLookup<T>.Hit(typed) : CacheLookup<T>.Miss(new RefillTicket(this)));

    public ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class
    {
        if (ticket.State == this && _entryOptions.AbsoluteExpirationRelativeToNow > TimeSpan.Zero)
        {
            _cache.Set(key, value, _entryOptions);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken)
    {
        _cache.Remove(key);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _cache.Dispose();

#pragma warning disable CS0618 // MemoryCache still takes the ISystemClock abstraction for its clock.
    private sealed class SystemClockAdapter(TimeProvider timeProvider) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
    }
#pragma warning restore CS0618
}
