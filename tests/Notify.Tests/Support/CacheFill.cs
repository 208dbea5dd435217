using Notify.Metadata.Cache;

namespace Notify.Tests.Support;

internal static class CacheFill
{
    /// <summary>
    /// Puts <paramref name="value"/> in <paramref name="cache"/> the way a reader does: a miss, then a refill
    /// with the miss's ticket (no-op when the key is already there or the cache cannot answer).
    /// </summary>
    public static async Task FillAsync<T>(this IMetadataCache cache, string key, T value) where T : class
    {
        var lookup = await cache.TryGetAsync<T>(key, default);
        await cache.RefillAsync(key, value, lookup.Ticket, default);
    }
}
