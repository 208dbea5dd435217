namespace Notify.Metadata.Cache;

/// <summary>No cache: every read goes to the store. For a process that must see writes at once and has no shared tier to read.</summary>
internal sealed class NoMetadataCache : IMetadataCache
{
    public static readonly NoMetadataCache Instance = new();

    public ValueTask<(bool Found, T? Value)> TryGetAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
        ValueTask.FromResult<(bool, T?)>((false, null));

    public ValueTask SetAsync<T>(string key, T value, CancellationToken cancellationToken) where T : class => ValueTask.CompletedTask;

    public ValueTask InvalidateAsync(string key, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
