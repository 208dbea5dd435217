namespace Notify.Frontend.Dedup;

/// <summary>Who holds a dedup key, and whether that publish was accepted (queued) or is still pending.</summary>
public readonly record struct DedupClaim(string MessageId, bool Accepted)
{
    public static DedupClaim Pending(string messageId) => new(messageId, Accepted: false);

    public static DedupClaim AcceptedBy(string messageId) => new(messageId, Accepted: true);
}
