namespace Notify.Frontend.Dedup;

/// <summary>
/// A publish with the same dedup id holds a pending claim: it is being queued right now, or the Frontend
/// that made it died before it could. The API answers 409 with Retry-After; the claim either becomes
/// accepted (the retry then learns its message id) or lapses after its lease (the retry is accepted).
/// </summary>
public sealed class DedupPendingException(string holderMessageId, TimeSpan lease)
    : Exception($"A publish with this dedup id (message {holderMessageId}) is still being accepted. Retry in a moment with the same dedup id: it then answers with that message's id, or, if that publish never completed (at most {lease.TotalSeconds:0} s from now), accepts yours.");
