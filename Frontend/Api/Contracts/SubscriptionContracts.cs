using Notify.Metadata.Model;

namespace Notify.Frontend.Api.Contracts;

public sealed record SubscribeRequest(string? Protocol, string? Endpoint);

/// <summary>A subscription as callers see it: never its confirm or unsubscribe token.</summary>
/// <param name="Status">
/// <c>pending</c>, <c>confirmed</c>, <c>opted-out</c> (an SMS number that replied STOP: it gets nothing
/// until it replies START), or <c>unsubscribed</c> in the unsubscribe link's answer.
/// </param>
/// <param name="LastDeliveryError">The provider's last permanent refusal of this endpoint, if any.</param>
public sealed record SubscriptionResponse(
    string Id,
    string Topic,
    Protocol Protocol,
    string Endpoint,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConfirmedAt,
    DeliveryErrorResponse? LastDeliveryError = null)
{
    public static SubscriptionResponse From(Subscription s, string? status = null, bool optedOut = false) => new(
        s.Id,
        s.Topic,
        s.Protocol,
        s.Endpoint,
        status ?? (optedOut ? "opted-out" : s.Status == SubscriptionStatus.Confirmed ? "confirmed" : "pending"),
        s.CreatedAt,
        s.ConfirmedAt,
        s.LastDeliveryError is { } error ? new DeliveryErrorResponse(error.Code, error.Detail, error.At) : null);
}

/// <summary>Why a provider refused an endpoint for good, such as <c>twilio:21211</c> (not a valid phone number).</summary>
public sealed record DeliveryErrorResponse(string Code, string Detail, DateTimeOffset At);
