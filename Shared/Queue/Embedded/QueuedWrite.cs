using Microsoft.Data.Sqlite;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// One change to the queue file waiting for <see cref="QueueWriter"/>: a send, a delete, a change of
/// visibility or the claim of a receive. Whoever moves it out of <c>Waiting</c> first wins: the writer
/// (it will be written, and the caller's cancellation no longer matters) or the caller's token (it is
/// skipped, and the caller sees a cancellation).
/// </summary>
internal abstract class QueuedWrite
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    private CancellationTokenRegistration _cancellation;
    private int _state;

    /// <summary>Whether the write needs its transaction fsync'd (a send: what a 202 promises).</summary>
    public abstract bool NeedsFsync { get; }

    /// <summary>How many messages it adds, so a group stays within the writer's bounds.</summary>
    public virtual int MessageCount => 0;

    /// <summary>How many characters of bodies it adds, so a group stays within the writer's bounds.</summary>
    public virtual long BodyChars => 0;

    /// <summary>Call before the writer can see this write, so the registration is in place when it takes it.</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((QueuedWrite)state!).Cancel(token),
                this);
        }
    }

    /// <summary>Claims the write for the writer; false when its caller cancelled first.</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Waiting) != Waiting)
        {
            return false;
        }

        _cancellation.Dispose();
        return true;
    }

    /// <summary>
    /// Runs the write's statements inside the writer's open transaction. What it returns to its caller
    /// is kept until <see cref="Complete"/>, after the commit.
    /// </summary>
    public abstract void Write(QueueStatements statements, long nowMs);

    /// <summary>The transaction committed: the caller gets its result.</summary>
    public abstract void Complete();

    /// <summary>The write, or the transaction it was in, failed: the caller gets the exception.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>
    /// Whether an exception from <see cref="Write"/> concerns this write alone (it undid its own
    /// statements), so the rest of its group still commits.
    /// </summary>
    public virtual bool FailsAlone(Exception exception) => false;

    /// <summary>Whether the write may have made a message visible now, so waiting receives should look.</summary>
    public virtual bool WakesReceivers => false;

    protected abstract void Cancel(CancellationToken token);

    /// <summary>For <see cref="Cancel"/>: true when the caller's token won the race against the writer.</summary>
    protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting;
}

/// <summary>A <see cref="QueuedWrite"/> whose caller awaits a result.</summary>
internal abstract class QueuedWrite<TResult> : QueuedWrite
{
    // Continuations run off the writer's thread, so one slow caller never delays the next group.
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Completion => _completion.Task;

    /// <summary>Set by <see cref="QueuedWrite.Write"/>; handed to the caller once the transaction commits.</summary>
    protected TResult Result { get; set; } = default!;

    public override void Complete() => _completion.TrySetResult(Result);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    protected override void Cancel(CancellationToken token)
    {
        if (TryCancel())
        {
            _completion.TrySetCanceled(token);
        }
    }
}
