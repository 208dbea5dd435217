using System.Diagnostics.CodeAnalysis;

namespace Notify.Metadata.Cache;

/// <summary>A cache read: the value on a hit; on a miss, the ticket to refill the key with.</summary>
public readonly struct CacheLookup<T> where T : class
{
    private CacheLookup(T? value, RefillTicket ticket)
    {
        Value = value;
        Ticket = ticket;
    }

    [MemberNotNullWhen(true, nameof(Value))]
    public bool Found => Value is not null;

    public T? Value { get; }

    /// <summary>On a miss, what to pass to <see cref="IMetadataCache.RefillAsync{T}"/>; the default ticket on a hit.</summary>
    public RefillTicket Ticket { get; }

    public static CacheLookup<T> Hit(T value) => new(value, default);

    public static CacheLookup<T> Miss(RefillTicket ticket) => new(null, ticket);

    public void Deconstruct(out bool found, out T? value)
    {
        found = Found;
        value = Value;
    }
}
