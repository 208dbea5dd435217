using Notify.Shared.Encryption;

namespace Notify.Shared.Queue.Embedded;

// The receipt state a Sender changes: written by the same writer as the sends, many to a transaction,
// instead of a transaction (and its pages in the write-ahead log) for each.

/// <summary><see cref="IMessageQueue.DeleteAsync"/>: removes the row the handle names, even if it was received again since.</summary>
internal sealed class PendingDelete(ReceiptHandle handle) : QueuedWrite<bool>
{
    public override bool NeedsFsync => false;

    public override void Write(QueueStatements statements, long nowMs) => Result = statements.Delete(handle.Sequence);
}

/// <summary><see cref="IMessageQueue.ChangeVisibilityAsync"/>: true when the handle was still current.</summary>
internal sealed class PendingVisibilityChange(ReceiptHandle handle, TimeSpan visibilityTimeout) : QueuedWrite<bool>
{
    public override bool NeedsFsync => false;

    // A message handed back (timeout zero) is visible at once.
    public override bool WakesReceivers => visibilityTimeout == TimeSpan.Zero && Result;

    public override void Write(QueueStatements statements, long nowMs) =>
        Result = statements.ChangeVisibility(handle, nowMs + (long)visibilityTimeout.TotalMilliseconds);
}

/// <summary>
/// A receive's claim: hides up to <c>maxMessages</c> visible messages for the visibility timeout and
/// returns them, oldest first. A body that cannot be opened (its key is not configured) fails this claim
/// alone, and its rows stay as they were: the message waits, intact, for its key.
/// </summary>
internal sealed class PendingClaim(int maxMessages, TimeSpan visibilityTimeout, PayloadCipher cipher)
    : QueuedWrite<IReadOnlyList<ReceivedMessage>>
{
    public override bool NeedsFsync => false;

    // A body that cannot be opened; a failure of SQLite itself fails the whole group.
    public override bool FailsAlone(Exception exception) => exception is not Microsoft.Data.Sqlite.SqliteException;

    public override void Write(QueueStatements statements, long nowMs) =>
        Result = statements.Claim(maxMessages, nowMs, nowMs + (long)visibilityTimeout.TotalMilliseconds, cipher);
}
