namespace Notify.Metadata.Keys;

/// <summary>
/// A scoped API key as stored: never the key itself, only its SHA-256 (<see cref="KeyHash"/>, lower-case hex),
/// what it may do (<see cref="Permissions"/>) on which topics (<see cref="Topics"/>: names, or prefixes
/// ending in <c>*</c>), and the rate limits it carries for the throttle.
/// </summary>
public sealed record ApiKey
{
    /// <summary><c>key_</c> and a sortable id: the listing's order is creation order.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string KeyHash { get; init; }

    public required IReadOnlyList<ApiKeyPermission> Permissions { get; init; }

    public required IReadOnlyList<string> Topics { get; init; }

    public ApiKeyRateLimit? RateLimit { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>After this the key is refused; null for a key that does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

    /// <summary>Records compare lists by reference; two reads of one key are equal when their contents are.</summary>
    public bool Equals(ApiKey? other) =>
        other is not null && Id == other.Id && Name == other.Name && KeyHash == other.KeyHash
        && Permissions.SequenceEqual(other.Permissions) && Topics.SequenceEqual(other.Topics)
        && RateLimit == other.RateLimit && CreatedAt == other.CreatedAt && ExpiresAt == other.ExpiresAt;

    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
}
