using Notify.Metadata.Model;

namespace Notify.Frontend.Api.Contracts;

public sealed record SubscribeRequest(string? Protocol, string? Endpoint);

/// <summary>A subscription as callers see it: never its confirm or unsubscribe token.</summary>
/// <param name="Status"><c>pending</c>, <c>confirmed</c>, or <c>unsubscribed</c> in the unsubscribe link's answer.</param>
public sealed record SubscriptionResponse(
    string Id,
    string Topic,
    Protocol Protocol,
    string Endpoint,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConfirmedAt)
{
    public static SubscriptionResponse From(Subscription s, string? status = null) => new(
        s.Id,
        s.Topic,
        s.Protocol,
        s.Endpoint,
        status ?? (s.Status == SubscriptionStatus.Confirmed ? "confirmed" : "pending"),
        s.CreatedAt,
        s.ConfirmedAt);
}
