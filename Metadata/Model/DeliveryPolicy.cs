namespace Notify.Metadata.Model;

/// <summary>
/// A subscription's own delivery settings, overriding its protocol's (<c>Notify:Delivery:{Protocol}</c>).
/// </summary>
/// <param name="RetrySeconds">The waits before each retry after the first attempt; null for the protocol's schedule.</param>
/// <param name="MaxPerSecond">
/// The most deliveries per second to this subscription; deliveries over the rate wait their turn (durably,
/// on the queue) and are never dropped. Null for no limit of its own.
/// </param>
public sealed record DeliveryPolicy(IReadOnlyList<int>? RetrySeconds, double? MaxPerSecond)
{
    /// <summary>The lowest and highest <see cref="MaxPerSecond"/> accepted.</summary>
    public const double MinRate = 0.01, MaxRate = 10_000;

    public bool Equals(DeliveryPolicy? other) =>
        other is not null
        && MaxPerSecond == other.MaxPerSecond
        && (RetrySeconds is null ? other.RetrySeconds is null : other.RetrySeconds is not null && RetrySeconds.SequenceEqual(other.RetrySeconds));

    public override int GetHashCode() => HashCode.Combine(MaxPerSecond, RetrySeconds?.Count);
}
