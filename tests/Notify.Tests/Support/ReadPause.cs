namespace Notify.Tests.Support;

/// <summary>One read held back after it fetched its answer, until the test releases it.</summary>
internal sealed class ReadPause
{
    // Asynchronous continuations: the test's code after "fetched" must not run inside the held read.
    private readonly TaskCompletionSource _fetched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the read has its answer and waits to be released.</summary>
    public Task Fetched => _fetched.Task;

    public void Release() => _released.TrySetResult();

    /// <summary>Called by the read: says it has fetched, then waits for the release.</summary>
    public Task HoldAsync()
    {
        _fetched.TrySetResult();
        return _released.Task;
    }
}
