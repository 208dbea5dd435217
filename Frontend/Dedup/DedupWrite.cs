namespace Notify.Frontend.Dedup;

/// <summary>
/// One claim, accept or release waiting for <see cref="SqliteDedupStore"/>'s writer, which runs it in the
/// next group's transaction and then completes it with the claim that holds the key (claims) or
/// <c>default</c> (accepts and releases) once that transaction committed.
/// </summary>
internal sealed class DedupWrite(DedupWrite.Kind kind, string key, string messageId)
{
    public enum Kind
    {
        Claim,
        Accept,
        Release,
    }

    // Continuations run off the writer's thread, so one slow caller never delays the next group.
    private readonly TaskCompletionSource<DedupClaim> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Kind Operation { get; } = kind;

    public string Key { get; } = key;

    public string MessageId { get; } = messageId;

    /// <summary>For a claim, set by the writer: the claim that holds the key once the group has run.</summary>
    public DedupClaim Holder { get; set; }

    public Task<DedupClaim> Completion => _completion.Task;

    /// <summary>The group committed: answers <see cref="Holder"/>.</summary>
    public void Complete() => _completion.TrySetResult(Holder);

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
