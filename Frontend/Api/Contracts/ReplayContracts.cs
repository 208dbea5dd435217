using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Api.Contracts;

/// <summary>
/// The window of a replay: the topic's retained messages published in [<c>from</c>, <c>to</c>). A bounded number
/// is queued per call: pass the answer's <c>nextCursor</c> back as <c>cursor</c>, with the same window, until it is null.
/// </summary>
public sealed class ReplayRequest
{
    [JsonRequired]
    [Description("Replay the messages published at or after this time (RFC 3339).")]
    public DateTimeOffset From { get; init; }

    [JsonRequired]
    [Description("Replay the messages published before this time (RFC 3339); after from.")]
    public DateTimeOffset To { get; init; }

    [Description("The nextCursor of the previous replay answer with the same from and to, to continue where it stopped.")]
    [MinLength(1)]
    public string? Cursor { get; init; }
}

/// <summary>The bounds of one replay call.</summary>
public static class ReplayLimits
{
    /// <summary>At most this many retained messages are read (and queued) by one call; the rest wait for the next (its cursor).</summary>
    public const int MaxPerCall = 1000;
}

public sealed record ReplayResponse(
    [property: Description("How many messages were queued for delivery to this subscription (attempt 1, marked X-Notify-Replay: true); those its filter policy does not admit are not.")] int Queued,
    [property: Description("Pass it as cursor (with the same from and to) to replay the rest of the window; null when the window is done.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    string? NextCursor);
