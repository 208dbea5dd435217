namespace Notify.Sender.Processing;

/// <summary>
/// One channel's delivery capacity (see <see cref="ChannelSlots"/>): one slot per delivery (one subscriber of one message) under way.
/// Bounding deliveries, not messages, keeps a topic with many subscribers from starving the rest.
/// </summary>
internal sealed class DeliverySlots(int capacity, TimeProvider timeProvider) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(capacity, capacity);

    public int Available => _slots.CurrentCount;

    /// <summary>Slots taken now, for <c>notify.sender.permits.in_use</c>.</summary>
    public int InUse => capacity - _slots.CurrentCount;

    /// <summary>Takes a slot, waiting at most <paramref name="wait"/>; false when none freed in time or the token was cancelled.</summary>
    public async ValueTask<bool> TryEnterAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return true;
        }

        if (wait <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // The slow path only: the wait runs on the injected clock, so tests decide when it ends.
        using var timeout = new CancellationTokenSource(wait, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public Task EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
