using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
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
    string Endpoint,
    [property: Description("Which messages it receives, by their attributes, as SNS's filter policies; all messages when absent.")]
    JsonElement? FilterPolicy = null,
    [property: Description("Its own retry schedule and delivery rate, overriding its protocol's; the protocol's when absent.")]
    JsonElement? DeliveryPolicy = null);

/// <summary>
/// A JSON merge patch (RFC 7396) of a subscription's settings: a field left out stays as it is, <c>null</c>
/// removes it. Each field is kept as raw JSON, so "left out" and "null" stay apart.
/// </summary>
public sealed class UpdateSubscriptionRequest
{
    [Description("Which messages it receives, by their attributes, as SNS's filter policies; null removes it (all messages).")]
    public JsonElement FilterPolicy { get; init; }

    [Description("Its own retry schedule and delivery rate. Merged as the rest of the patch: a member left out stays as it is, a member set to null returns to the protocol's default, and deliveryPolicy: null removes the whole policy.")]
    public JsonElement DeliveryPolicy { get; init; }
}

/// <summary>A subscription as callers see it: never its confirm or unsubscribe token, and its signing secret only when just made.</summary>
public sealed record SubscriptionResponse(
    [property: Description("The subscription's id; its URL is /v1/subscriptions/{id}.")] string Id,
    [property: Description("The topic's name.")] string Topic,
    [property: Description("How the endpoint receives messages.")] Protocol Protocol,
    [property: Description("Where messages go.")] string Endpoint,
    [property: Description("pending until the endpoint's owner confirms; confirmed receives messages; opted-out is an SMS number that replied STOP (it gets nothing until it replies START); disabled was turned off after its endpoint refused deliveries for good (see disabledReason) and gets nothing until enabled with POST /v1/subscriptions/{id}/enable.")]
    SubscriptionState Status,
    [property: Description("When the subscription was created.")] DateTimeOffset CreatedAt,
    [property: Description("When its owner confirmed it; absent while pending.")] DateTimeOffset? ConfirmedAt,
    [property: Description("Why the last delivery to this endpoint failed for good (a provider's refusal), or, while pending, why the confirmation request did not arrive; absent when none.")]
    DeliveryErrorResponse? LastDeliveryError = null,
    [property: Description("While pending: when it is deleted unless confirmed (Notify:Subscriptions:PendingExpiry after it was made).")]
    DateTimeOffset? ExpiresAt = null,
    [property: Description("Which messages it receives, by their attributes; absent when it receives all.")]
    JsonElement? FilterPolicy = null,
    [property: Description("Its own retry schedule and delivery rate; null when it has its protocol's.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    DeliveryPolicyResponse? DeliveryPolicy = null,
    [property: Description("While disabled: why and when it was disabled; absent otherwise.")]
    DeliveryErrorResponse? DisabledReason = null,
    [property: Description("A new webhook subscription's signing secret (whsec_…), in the 201 of subscribe only: never shown again (rotate it with POST /v1/subscriptions/{id}/secret/rotate).")]
    string? Secret = null)
{
    public static SubscriptionResponse From(Subscription s, bool optedOut = false) => new(
        s.Id,
        s.Topic,
        s.Protocol,
        s.Endpoint,
        StateOf(s, optedOut),
        s.CreatedAt,
        s.ConfirmedAt,
        s.LastDeliveryError is { } error ? new DeliveryErrorResponse(error.Code, error.Detail, error.At) : null,
        s.Status == SubscriptionStatus.Pending ? s.ExpiresAt : null,
        s.FilterPolicy is { } policy ? JsonElement.Parse(policy) : null,
        s.DeliveryPolicy is { } delivery ? new DeliveryPolicyResponse(delivery.RetrySeconds, delivery.MaxPerSecond) : null,
        s.Status == SubscriptionStatus.Disabled && s.DisabledReason is { } reason ? new DeliveryErrorResponse(reason.Code, reason.Detail, reason.At) : null);

    // A disabled subscription shows as disabled even when its SMS number also opted out: enabling it is
    // what its owner must do first, and status=disabled lists it.
    private static SubscriptionState StateOf(Subscription s, bool optedOut) => s.Status switch
    {
        SubscriptionStatus.Disabled => SubscriptionState.Disabled,
        _ when optedOut => SubscriptionState.OptedOut,
        SubscriptionStatus.Confirmed => SubscriptionState.Confirmed,
        _ => SubscriptionState.Pending,
    };
}

/// <summary>A subscription's own delivery settings, as callers see them.</summary>
public sealed record DeliveryPolicyResponse(
    [property: Description("The waits in seconds before each retry after the first attempt (empty: no retry); absent for the protocol's schedule.")]
    IReadOnlyList<int>? RetrySeconds,
    [property: Description("The most deliveries per second to this subscription (the rest wait their turn, never dropped); absent for no limit of its own.")]
    double? MaxPerSecond);

/// <summary>The unsubscribe link's answer: to the first click and to every repeat.</summary>
public sealed record UnsubscribedResponse(
    [property: Description("The subscription's id.")] string Id,
    [property: Description("The topic's name.")] string Topic,
    [property: Description("How the endpoint received messages.")] Protocol Protocol,
    [property: Description("The endpoint that no longer receives the topic's messages.")] string Endpoint,
    [property: Description("Always unsubscribed.")] SubscriptionState Status,
    [property: Description("When it was unsubscribed (or deleted).")] DateTimeOffset UnsubscribedAt,
    [property: Description("True when it already was, before this request.")] bool AlreadyUnsubscribed)
{
    public static UnsubscribedResponse From(Subscription s, DateTimeOffset at, bool already) =>
        new(s.Id, s.Topic, s.Protocol, s.Endpoint, SubscriptionState.Unsubscribed, at, already);
}

/// <summary>Why deliveries to an endpoint failed for good, such as <c>twilio:21211</c> (not a valid phone number).</summary>
public sealed record DeliveryErrorResponse(
    [property: Description("The provider's code with its source, such as twilio:21211 or smtp:550.")] string Code,
    [property: Description("What the provider said, for a person.")] string Detail,
    [property: Description("When it happened.")] DateTimeOffset At);
