namespace Notify.Sender.Retrieval;

/// <summary>
/// A semaphore whose number of permits follows the backlog between a minimum and a maximum. It starts
/// at the minimum, so an idle host keeps a single long poll open; each full batch asks for one more
/// permit, each empty receive for one fewer. Shrinking never takes a permit from its holder: the next
/// <see cref="Release"/> keeps it instead of handing it back.
/// </summary>
internal sealed class AdaptiveConcurrency : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _permits;
    private readonly int _min;
    private readonly int _max;
    private int _limit;
    private int _withheld;

    public AdaptiveConcurrency(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _limit = min;
        _permits = new SemaphoreSlim(min, max);
    }

    /// <summary>How many permits exist now (held or free).</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>Permits free to take right now.</summary>
    public int Available => _permits.CurrentCount;

    public Task WaitAsync(CancellationToken cancellationToken) => _permits.WaitAsync(cancellationToken);

    /// <summary>Returns a permit taken with <see cref="WaitAsync"/>, unless a shrink is waiting for one.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_withheld > 0)
            {
                _withheld--;
                return;
            }
        }

        _permits.Release();
    }

    /// <summary>Adds a permit, up to the maximum. Returns false when already at the maximum.</summary>
    public bool Grow()
    {
        lock (_gate)
        {
            if (_limit >= _max)
            {
                return false;
            }

            _limit++;

            // A shrink not yet carried out cancels against this grow: no permit changes hands.
            if (_withheld > 0)
            {
                _withheld--;
                return true;
            }
        }

        _permits.Release();
        return true;
    }

    /// <summary>Removes a permit, down to the minimum, at its next release. Returns false when already at the minimum.</summary>
    public bool Shrink()
    {
        lock (_gate)
        {
            if (_limit <= _min)
            {
                return false;
            }

            _limit--;
            _withheld++;
            return true;
        }
    }

    public void Dispose() => _permits.Dispose();
}
