namespace Notify.Metadata.Model;

/// <summary>Which subscriptions a listing across topics returns: those matching every non-null field.</summary>
public sealed record SubscriptionQuery(string? Topic = null, Protocol? Protocol = null, SubscriptionStatus? Status = null);
