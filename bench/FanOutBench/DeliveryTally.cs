using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Notify.Bench.FanOut;

/// <summary>
/// Deliveries of many messages to the same subscribers, as the <see cref="Receiver"/> sees them: which
/// (message id, subscriber) pairs arrived, how many requests repeated one, and, when asked, each delivery's
/// latency read from its body: arrival minus the notification's <c>timestamp</c> (set by the Frontend when it
/// accepted the publish), and arrival minus the send time the publisher wrote into the message text
/// (<see cref="SentPrefix"/>), which also counts the publish request itself. Publisher, Frontend and
/// receiver run on one machine, so all three read the same clock.
/// </summary>
internal sealed class DeliveryTally
{
    /// <summary>The message text starts with this, then the scheduled send time in UTC ticks, then <c>;</c>.</summary>
    public const string SentPrefix = "sent=";

    private readonly ConcurrentDictionary<string, int[]> _perMessage = new(StringComparer.Ordinal);
    private readonly int _subscribers;
    private readonly long _expected;
    private readonly List<double> _sinceTimestampMs = [];
    private readonly List<double> _sinceSentMs = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _distinct;
    private long _requests;
    private int _unreadable;

    /// <param name="expected">Pairs to wait for: messages × subscribers.</param>
    /// <param name="timeLatency">Read each body's timestamps; otherwise bodies are not parsed.</param>
    public DeliveryTally(int subscribers, long expected, bool timeLatency)
    {
        _subscribers = subscribers;
        _expected = expected;
        TimeLatency = timeLatency;
    }

    public bool TimeLatency { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public long Distinct => Interlocked.Read(ref _distinct);

    /// <summary>Bodies whose timestamps could not be read (latency runs only).</summary>
    public int Unreadable => Volatile.Read(ref _unreadable);

    /// <summary>Completes when every expected pair has arrived at least once.</summary>
    public Task Complete => _complete.Task;

    public void Record(string messageId, int subscriber, ReadOnlySpan<byte> body, DateTimeOffset arrival)
    {
        Interlocked.Increment(ref _requests);
        var counts = _perMessage.GetOrAdd(messageId, _ => new int[_subscribers]);
        if (Interlocked.Increment(ref counts[subscriber]) == 1 && Interlocked.Increment(ref _distinct) == _expected)
        {
            _complete.TrySetResult();
        }

        if (TimeLatency)
        {
            RecordLatency(body, arrival);
        }
    }

    /// <summary>Pairs of the published messages that never arrived, and message ids that arrived without being published.</summary>
    public (long Missing, int Unknown) Check(IReadOnlyCollection<string> published)
    {
        var missing = 0L;
        foreach (var id in published)
        {
            missing += _perMessage.TryGetValue(id, out var counts) ? counts.Count(c => c == 0) : _subscribers;
        }

        var set = published as IReadOnlySet<string> ?? published.ToHashSet(StringComparer.Ordinal);
        return (missing, _perMessage.Keys.Count(id => !set.Contains(id)));
    }

    /// <summary>Latencies in milliseconds, sorted: since the notification's timestamp, and since the scheduled send.</summary>
    public (double[] SinceTimestamp, double[] SinceSent) Latencies()
    {
        lock (_sinceTimestampMs)
        {
            return ([.. _sinceTimestampMs.Order()], [.. _sinceSentMs.Order()]);
        }
    }

    private void RecordLatency(ReadOnlySpan<byte> body, DateTimeOffset arrival)
    {
        DateTimeOffset? timestamp = null;
        DateTimeOffset? sent = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("timestamp"u8) && reader.Read())
                {
                    timestamp = reader.GetDateTimeOffset();
                }
                else if (reader.ValueTextEquals("message"u8) && reader.Read())
                {
                    sent = SentTime(reader.GetString());
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            timestamp = null;
        }

        if (timestamp is null || sent is null)
        {
            Interlocked.Increment(ref _unreadable);
            return;
        }

        lock (_sinceTimestampMs)
        {
            _sinceTimestampMs.Add((arrival - timestamp.Value).TotalMilliseconds);
            _sinceSentMs.Add((arrival - sent.Value).TotalMilliseconds);
        }
    }

    /// <summary>The text of a message scheduled at <paramref name="sent"/>, padded with <c>x</c> to <paramref name="length"/> characters.</summary>
    public static string MessageText(DateTimeOffset sent, int length)
    {
        var head = new StringBuilder(SentPrefix).Append(sent.UtcTicks).Append(';').ToString();
        return head + new string('x', Math.Max(0, length - head.Length));
    }

    private static DateTimeOffset? SentTime(string? text)
    {
        if (text is null || !text.StartsWith(SentPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf(';', SentPrefix.Length);
        return end > 0 && long.TryParse(text.AsSpan(SentPrefix.Length, end - SentPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;
    }
}
