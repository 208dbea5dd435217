using Notify.Shared.Messages;

namespace Notify.Metadata.Deliveries;

/// <summary>A half-open time range [<paramref name="From"/>, <paramref name="To"/>); either end may be open.</summary>
public sealed record TimeWindow(DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Contains(DateTimeOffset time) => (From is not { } from || time >= from) && (To is not { } to || time < to);
}

/// <summary>
/// A delivery that exhausted its retry schedule or failed permanently, kept for its subscription's owner to
/// read, redrive or delete. <see cref="Envelope"/> is the queue envelope of the notification (the message as
/// published), so a redrive can deliver it again without the original queue message.
/// </summary>
public sealed record DeadLetter
{
    public required string SubscriptionId { get; init; }
    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public required string Envelope { get; init; }
    public required IReadOnlyList<DeliveryAttempt> Attempts { get; init; }

    /// <summary>Why it ended: the last attempt's outcome, or the permanent refusal (<c>HTTP 410</c>, <c>twilio 21211</c>).</summary>
    public required string LastError { get; init; }

    /// <summary>True when it ended on a permanent failure rather than at the end of its schedule.</summary>
    public required bool Permanent { get; init; }
    public required DateTimeOffset DeadLetteredAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>A retry scheduled on the queue and not yet made: what status calls show of a delivery still being tried.</summary>
public sealed record ScheduledRetry(
    string SubscriptionId,
    string MessageId,
    string Topic,
    int NextAttempt,
    DateTimeOffset NextAttemptAt,
    string LastError,
    DateTimeOffset ExpiresAt);

/// <summary>
/// A message's fan-out outcome (as stored: totals), or a change to it (as added: deltas).
/// <see cref="Retrying"/> counts deliveries whose retry is scheduled.
/// </summary>
public sealed record MessageOutcome
{
    public required string MessageId { get; init; }
    public required string Topic { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public long Subscribers { get; init; }
    public long Delivered { get; init; }
    public long Retrying { get; init; }
    public long DeadLettered { get; init; }
}

/// <summary>Whose stats: a topic's or a subscription's.</summary>
public readonly record struct StatsScope(StatsScopeKind Kind, string Name)
{
    public static StatsScope Topic(string name) => new(StatsScopeKind.Topic, name);

    public static StatsScope Subscription(string id) => new(StatsScopeKind.Subscription, id);

    /// <summary>The scope as one string, for keys: <c>topic#orders</c>, <c>subscription#{id}</c>.</summary>
    public override string ToString() => (Kind == StatsScopeKind.Topic ? "topic#" : "subscription#") + Name;
}

public enum StatsScopeKind
{
    Topic,
    Subscription,
}

/// <summary>
/// Counts of one scope. <see cref="Retried"/> counts deliveries that failed an attempt and were scheduled
/// again; <see cref="Retrying"/> is how many wait now (it goes down when they end), so only its total is a level.
/// </summary>
public readonly record struct DeliveryCounts(long Published, long Delivered, long Retried, long Retrying, long DeadLettered)
{
    public static DeliveryCounts operator +(DeliveryCounts a, DeliveryCounts b) => new(
        a.Published + b.Published, a.Delivered + b.Delivered, a.Retried + b.Retried, a.Retrying + b.Retrying, a.DeadLettered + b.DeadLettered);

    public bool IsZero => this == default;
}

/// <summary>The last success or failure of a scope.</summary>
/// <param name="Error">For a failure, its outcome (<c>HTTP 500</c>, <c>smtp 550 5.1.1</c>); null for a success.</param>
public sealed record LastOutcome(DateTimeOffset At, string? Error);

/// <summary>What one flush adds for one scope in one minute.</summary>
public sealed record CountsDelta(StatsScope Scope, DateTimeOffset Minute, DeliveryCounts Counts, LastOutcome? LastSuccess, LastOutcome? LastFailure);

/// <summary>A scope's stats, as <see cref="IDeliveryStore.GetStatsAsync"/> reads them.</summary>
public sealed record DeliveryStats(DeliveryCounts Total, DeliveryCounts LastHour, LastOutcome? LastSuccess, LastOutcome? LastFailure)
{
    /// <summary>
    /// When the scope's current run of failures began: the first failure after its last success (as far as
    /// the flushes tell: a flush carries a minute's latest failure), null when its latest outcome is a success
    /// or it never failed. What <c>Notify:Delivery:DisableAfter</c> is measured from.
    /// </summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>The span of <see cref="LastHour"/>.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static readonly DeliveryStats None = new(default, default, null, null);
}
