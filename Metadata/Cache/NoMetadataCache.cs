namespace Notify.Metadata.Cache;

/// <summary>No cache: every read goes to the store. For a process that must see writes at once and has no shared tier to read.</summary>
internal sealed class NoMetadataCache : IMetadataCache
{
    public static readonly NoMetadataCache Instance = new();

    public ValueTask<CacheLookup<T>> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
        ValueTask.FromResult(CacheLookup<T>.Miss(default));

    public ValueTask RefillAsync<T>(string key, T value, RefillTicket ticket, CancellationToken cancellationToken) where T : class => ValueTask.CompletedTask;

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
