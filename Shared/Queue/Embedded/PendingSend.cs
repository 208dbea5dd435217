namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// One <see cref="IMessageQueue.SendBatchAsync"/> call waiting for the group-commit writer. Whoever moves
/// it out of <c>Waiting</c> first wins: the writer (it will be written, and the caller's cancellation no
/// longer matters) or the caller's token (it is skipped, and the caller sees a cancellation).
/// </summary>
internal sealed class PendingSend
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Cancelled = 2;

    // Continuations run off the writer's thread, so one slow caller never delays the next group.
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _cancellation;
    private int _state;

    public PendingSend(OutgoingMessage[] messages, byte[][] sealedBodies, long bodyChars)
    {
        Messages = messages;
        SealedBodies = sealedBodies;
        BodyChars = bodyChars;
    }

    public OutgoingMessage[] Messages { get; }

    /// <summary>The messages' bodies as stored: encrypted, in the order of <see cref="Messages"/>.</summary>
    public byte[][] SealedBodies { get; }

    public long BodyChars { get; }

    public Task Completion => _completion.Task;

    /// <summary>Call before the writer can see this send, so the registration is in place when it takes it.</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingSend)state!).Cancel(token),
                this);
        }
    }

    /// <summary>Claims the send for writing; false when its caller cancelled first.</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Waiting) != Waiting)
        {
            return false;
        }

        _cancellation.Dispose();
        return true;
    }

    public void Complete() => _completion.TrySetResult();

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            _completion.TrySetCanceled(token);
        }
    }
}
