namespace Notify.Frontend.Dedup;

/// <summary>
/// Remembers which message id a dedup key was first accepted under, for the dedup window, so a
/// repeated publish answers with the first id instead of being delivered again.
/// </summary>
/// <remarks>
/// A claim has two phases, so that a Frontend that dies between claiming a key and queueing its message
/// cannot lose the message: a repeat would otherwise be told "duplicate" of a message that was never
/// queued. A new claim is <em>pending</em> and lives only <see cref="DedupOptions.PendingLease"/>; once the
/// message is queued, <see cref="AcceptAsync"/> makes it <em>accepted</em> for the whole window. A repeat
/// that finds a pending claim is told to come back (409); after the lease it may claim the key itself.
/// </remarks>
public interface IDedupStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="messageId"/>, pending, unless a live claim exists
    /// (a pending one within its lease, an accepted one within the window).
    /// </summary>
    /// <returns>The claim that holds the key: for <paramref name="messageId"/> when this call made it.</returns>
    Task<DedupClaim> ClaimAsync(string key, string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// The message is queued: its claim answers repeats as duplicates for the dedup window from now. A
    /// claim that is no longer this message's (its lease ran out and another took it) is left alone.
    /// </summary>
    Task AcceptAsync(string key, string messageId, CancellationToken cancellationToken);

    /// <summary>Drops this message's claim (the publish failed before it was accepted).</summary>
    Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken);
}
