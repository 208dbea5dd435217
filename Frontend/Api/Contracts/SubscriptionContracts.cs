using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Notify.Frontend.Validation;
using Notify.Metadata.Model;

namespace Notify.Frontend.Api.Contracts;

public sealed record SubscribeRequest(
    [property: JsonRequired]
    [property: Description("How the endpoint receives messages.")]
    Protocol Protocol,
    [property: JsonRequired]
    [property: Description("Where messages go: an absolute http(s) URL for webhook, an email address for email, an E.164 number such as +15551234567 for sms.")]
    [property: StringLength(Limits.EndpointMaxLength, MinimumLength = 1)]
    string Endpoint);

/// <summary>A subscription as callers see it: never its confirm or unsubscribe token.</summary>
public sealed record SubscriptionResponse(
    [property: Description("The subscription's id; its URL is /v1/subscriptions/{id}.")] string Id,
    [property: Description("The topic's name.")] string Topic,
    [property: Description("How the endpoint receives messages.")] Protocol Protocol,
    [property: Description("Where messages go.")] string Endpoint,
    [property: Description("pending until the endpoint's owner confirms; confirmed receives messages; opted-out is an SMS number that replied STOP (it gets nothing until it replies START); unsubscribed only in the unsubscribe link's answer.")]
    SubscriptionState Status,
    [property: Description("When the subscription was created.")] DateTimeOffset CreatedAt,
    [property: Description("When its owner confirmed it; absent while pending.")] DateTimeOffset? ConfirmedAt,
    [property: Description("The last failure of a delivery to this endpoint that will not be retried, if any.")] DeliveryErrorResponse? LastDeliveryError = null)
{
    public static SubscriptionResponse From(Subscription s, SubscriptionState? status = null, bool optedOut = false) => new(
        s.Id,
        s.Topic,
        s.Protocol,
        s.Endpoint,
        status ?? (optedOut ? SubscriptionState.OptedOut : s.Status == SubscriptionStatus.Confirmed ? SubscriptionState.Confirmed : SubscriptionState.Pending),
        s.CreatedAt,
        s.ConfirmedAt,
        s.LastDeliveryError is { } error ? new DeliveryErrorResponse(error.Code, error.Detail, error.At) : null);
}

/// <summary>Why deliveries to an endpoint failed for good, such as <c>twilio:21211</c> (not a valid phone number).</summary>
public sealed record DeliveryErrorResponse(
    [property: Description("The provider's code with its source, such as twilio:21211 or smtp:550.")] string Code,
    [property: Description("What the provider said, for a person.")] string Detail,
    [property: Description("When it happened.")] DateTimeOffset At);
