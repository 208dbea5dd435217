namespace Notify.Frontend.Dedup;

/// <summary>
/// Remembers which message id a dedup key was first accepted under, for the dedup window, so a
/// repeated publish answers with the first id instead of being delivered again.
/// </summary>
public interface IDedupStore
{
    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="messageId"/> unless a live claim exists.
    /// </summary>
    /// <returns>The message id that holds the key: <paramref name="messageId"/> when this call claimed it.</returns>
    Task<string> ClaimAsync(string key, string messageId, CancellationToken cancellationToken);

    /// <summary>Drops this message's claim (the publish failed before it was accepted).</summary>
    Task ReleaseAsync(string key, string messageId, CancellationToken cancellationToken);
}
