using System.ComponentModel;
using Notify.Metadata.Deliveries;

namespace Notify.Frontend.Api.Contracts;

/// <summary>Delivery counts over the last hour.</summary>
public sealed record HourCountsResponse(
    [property: Description("Messages published (for a subscription: deliveries made to it).")] long Published,
    [property: Description("Deliveries that succeeded.")] long Delivered,
    [property: Description("Deliveries that failed an attempt and were scheduled again.")] long Retrying,
    [property: Description("Deliveries that became dead letters.")] long DeadLettered)
{
    public static HourCountsResponse From(DeliveryCounts hour) => new(hour.Published, hour.Delivered, hour.Retried, hour.DeadLettered);
}

/// <summary>A topic's delivery counts since it was made, and over the last hour.</summary>
public sealed record TopicStatsResponse(
    [property: Description("Messages published to the topic.")] long Published,
    [property: Description("Deliveries that succeeded.")] long Delivered,
    [property: Description("Deliveries waiting now for a retry.")] long Retrying,
    [property: Description("Deliveries that became dead letters.")] long DeadLettered,
    [property: Description("Subscriptions of the topic that are disabled now.")] long DisabledSubscriptions,
    [property: Description("The same counts over the last hour; retrying there counts deliveries scheduled again in the hour.")] HourCountsResponse LastHour)
{
    public static TopicStatsResponse From(DeliveryStats stats, long disabledSubscriptions) => new(
        stats.Total.Published, stats.Total.Delivered, stats.Total.Retrying, stats.Total.DeadLettered, disabledSubscriptions, HourCountsResponse.From(stats.LastHour));
}

/// <summary>A subscription's delivery counts, its last success and failure, and its next retry.</summary>
public sealed record SubscriptionStatsResponse(
    [property: Description("Deliveries made to the subscription (each message it was sent counts once, whatever its attempts).")] long Published,
    [property: Description("Deliveries that succeeded.")] long Delivered,
    [property: Description("Deliveries waiting now for a retry.")] long Retrying,
    [property: Description("Deliveries that became dead letters.")] long DeadLettered,
    [property: Description("The same counts over the last hour; retrying there counts deliveries scheduled again in the hour.")] HourCountsResponse LastHour,
    [property: Description("When a delivery last succeeded; absent when none has.")] DateTimeOffset? LastSuccessAt = null,
    [property: Description("When an attempt last failed; absent when none has.")] DateTimeOffset? LastFailureAt = null,
    [property: Description("What the last failed attempt met (HTTP 500, smtp 550 5.1.1); absent when none failed.")] string? LastError = null,
    [property: Description("When the earliest waiting retry is due; absent when none waits.")] DateTimeOffset? NextAttemptAt = null)
{
    public static SubscriptionStatsResponse From(DeliveryStats stats, DateTimeOffset? nextAttemptAt) => new(
        stats.Total.Published,
        stats.Total.Delivered,
        stats.Total.Retrying,
        stats.Total.DeadLettered,
        HourCountsResponse.From(stats.LastHour),
        stats.LastSuccess?.At,
        stats.LastFailure?.At,
        stats.LastFailure?.Error,
        nextAttemptAt);
}

/// <summary>A published message's fan-out: how many subscribers it went to and how each delivery stands.</summary>
public sealed record MessageStatusResponse(
    [property: Description("The message's id.")] string MessageId,
    [property: Description("The topic it was published to.")] string Topic,
    [property: Description("When it was published.")] DateTimeOffset PublishedAt,
    [property: Description("How many subscriptions it was to be delivered to (after filter policies and opt-outs).")] long Subscribers,
    [property: Description("Deliveries that succeeded.")] long Delivered,
    [property: Description("Deliveries waiting for a retry.")] long Retrying,
    [property: Description("Deliveries that became dead letters (see GET /v1/subscriptions/{id}/dead-letters).")] long DeadLettered,
    [property: Description("The retries waiting, at most 100.")] IReadOnlyList<ScheduledRetryResponse> Retries)
{
    public static MessageStatusResponse From(MessageOutcome outcome, IReadOnlyList<ScheduledRetry> retries) => new(
        outcome.MessageId,
        outcome.Topic,
        outcome.PublishedAt,
        outcome.Subscribers,
        outcome.Delivered,
        outcome.Retrying,
        outcome.DeadLettered,
        retries.Select(r => new ScheduledRetryResponse(r.SubscriptionId, r.NextAttempt, r.NextAttemptAt, r.LastError)).ToList());
}

/// <summary>One delivery of a message waiting for its next attempt.</summary>
public sealed record ScheduledRetryResponse(
    [property: Description("The subscription the delivery is for.")] string SubscriptionId,
    [property: Description("The number of the next attempt (2 for the first retry).")] int NextAttempt,
    [property: Description("When the next attempt is due.")] DateTimeOffset NextAttemptAt,
    [property: Description("What the last attempt met.")] string LastError);
