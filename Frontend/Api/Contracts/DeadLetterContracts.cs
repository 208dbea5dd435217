using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Notify.Metadata.Deliveries;
using Notify.Shared.Messages;

namespace Notify.Frontend.Api.Contracts;

/// <summary>A dead letter as its subscription's owner lists it: what failed and why, not the message itself.</summary>
public sealed record DeadLetterResponse(
    [property: Description("The message's id, as publish answered it.")] string MessageId,
    [property: Description("The topic it was published to.")] string Topic,
    [property: Description("When it was published.")] DateTimeOffset PublishedAt,
    [property: Description("How many attempts were made.")] int Attempts,
    [property: Description("Why it ended: the last attempt's outcome (HTTP 500, timed out after 15s, smtp 550 5.1.1) or the permanent refusal (HTTP 410).")] string LastError,
    [property: Description("True when it ended on a permanent refusal rather than at the end of its retry schedule.")] bool Permanent,
    [property: Description("When it became a dead letter.")] DateTimeOffset DeadLetteredAt,
    [property: Description("When it is deleted unless redriven and delivered first (Notify:Delivery:DeadLetterRetention after it was dead-lettered).")] DateTimeOffset ExpiresAt)
{
    public static DeadLetterResponse From(DeadLetter letter) => new(
        letter.MessageId, letter.Topic, letter.PublishedAt, letter.Attempts.Count, letter.LastError, letter.Permanent, letter.DeadLetteredAt, letter.ExpiresAt);
}

/// <summary>One dead letter with its attempts and the message as its subscriber would have received it.</summary>
public sealed record DeadLetterDetailResponse(
    [property: Description("The message's id, as publish answered it.")] string MessageId,
    [property: Description("The topic it was published to.")] string Topic,
    [property: Description("When it was published.")] DateTimeOffset PublishedAt,
    [property: Description("How many attempts were made.")] int Attempts,
    [property: Description("Why it ended: the last attempt's outcome or the permanent refusal.")] string LastError,
    [property: Description("True when it ended on a permanent refusal rather than at the end of its retry schedule.")] bool Permanent,
    [property: Description("When it became a dead letter.")] DateTimeOffset DeadLetteredAt,
    [property: Description("When it is deleted unless redriven and delivered first.")] DateTimeOffset ExpiresAt,
    [property: Description("Every attempt, first to last.")] IReadOnlyList<DeliveryAttemptResponse> AttemptLog,
    [property: Description("The message as this subscription would have received it.")] DeadLetterMessageResponse Message)
{
    public static DeadLetterDetailResponse From(DeadLetter letter, DeadLetterMessageResponse message) => new(
        letter.MessageId,
        letter.Topic,
        letter.PublishedAt,
        letter.Attempts.Count,
        letter.LastError,
        letter.Permanent,
        letter.DeadLetteredAt,
        letter.ExpiresAt,
        letter.Attempts.Select(a => new DeliveryAttemptResponse(a.Number, a.At, a.Outcome)).ToList(),
        message);
}

/// <summary>One attempt of a delivery.</summary>
public sealed record DeliveryAttemptResponse(
    [property: Description("1 for the first attempt.")] int Number,
    [property: Description("When the attempt started.")] DateTimeOffset At,
    [property: Description("What it met: HTTP 500, timed out after 15s, smtp 550 5.1.1, twilio 21211.")] string Outcome);

/// <summary>The notification of a dead letter, with the body for the subscription's protocol.</summary>
public sealed record DeadLetterMessageResponse(
    [property: Description("The body this subscription's protocol gets: its own from messages at publish, else message.")] string Message,
    [property: Description("When it was published.")] DateTimeOffset Timestamp,
    [property: Description("The subject; absent when the publish had none.")] string? Subject = null,
    [property: Description("The attributes; absent when the publish had none.")] IReadOnlyDictionary<string, string>? Attributes = null)
{
    public static DeadLetterMessageResponse From(Notification notification, string protocol) => new(
        notification.MessageFor(protocol),
        notification.Timestamp,
        notification.Subject,
        notification.Attributes is { Count: > 0 } attributes ? attributes : null);
}

/// <summary>
/// Which dead letters to deliver again: all (no field), those named by <c>messageIds</c>, or those
/// published in [<c>from</c>, <c>to</c>). A selection by time (or all) is redriven a bounded number per
/// call: pass the answer's <c>nextCursor</c> back as <c>cursor</c> until it is null.
/// </summary>
public sealed class RedriveRequest
{
    [Description("The ids of the messages to redrive, 1 to 100; not with from, to or cursor. An id without a dead letter is skipped.")]
    [MinLength(1)]
    [MaxLength(RedriveLimits.MaxMessageIds)]
    public IReadOnlyList<string>? MessageIds { get; init; }

    [Description("Only messages published at or after this time (RFC 3339).")]
    public DateTimeOffset? From { get; init; }

    [Description("Only messages published before this time (RFC 3339).")]
    public DateTimeOffset? To { get; init; }

    [Description("The nextCursor of the previous redrive answer with the same from and to, to continue where it stopped.")]
    public string? Cursor { get; init; }
}

/// <summary>The bounds of one redrive call.</summary>
public static class RedriveLimits
{
    public const int MaxMessageIds = 100;

    /// <summary>At most this many dead letters are put on the queue by one call; the rest wait for the next (its cursor).</summary>
    public const int MaxPerCall = 1000;
}

public sealed record RedriveResponse(
    [property: Description("How many dead letters were put on the queue to be delivered again (attempt 1); each stays until delivered.")] int Redriven,
    [property: Description("True when more dead letters of the selection remain: call again with nextCursor as cursor.")] bool More,
    [property: Description("Pass it as cursor (with the same from and to) to redrive the rest; null when the selection is done.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    string? NextCursor);
