namespace Notify.Metadata.Cache;

/// <summary>
/// What a cache miss saw of its key, handed back with the refill. Opaque: only the cache that issued it
/// reads it. The default ticket, given when the cache could not answer, lets a refill store nothing.
/// </summary>
public readonly struct RefillTicket
{
    internal RefillTicket(object state) => State = state;

    /// <summary>The issuing cache's own record of the miss; null for the default ticket.</summary>
    internal object? State { get; }
}
