namespace Notify.Metadata.Deliveries.FanOut;

/// <summary>
/// How far the split of a large topic's message into pages has come: after each page put on the queue, the
/// last subscription id it covers. A Sender that takes the message again after a crash resumes after it, so
/// only a page queued but not yet marked is queued twice.
/// </summary>
public interface IFanOutProgress
{
    /// <summary>The mark saved for <paramref name="messageId"/>; null before its first page.</summary>
    Task<FanOutMark?> GetAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="mark"/> for <paramref name="messageId"/> in place of the one before, kept until <paramref name="expiresAt"/>.</summary>
    Task SaveAsync(string messageId, FanOutMark mark, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <param name="After">The last subscription id covered by the pages queued so far.</param>
/// <param name="Pages">How many pages are queued.</param>
public sealed record FanOutMark(string After, int Pages);
