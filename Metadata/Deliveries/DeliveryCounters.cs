namespace Notify.Metadata.Deliveries;

/// <summary>
/// The stats counters of this process, summed in memory per scope and minute and written to the store
/// by <see cref="FlushAsync"/> (every <see cref="DeliveryOptions.StatsFlushInterval"/> and at shutdown,
/// <see cref="DeliveryCountersFlusher"/>), so a delivery costs one short lock here rather than a write.
/// </summary>
/// <remarks>
/// What a crash can lose: the counts added since the last successful flush (up to one interval, or more
/// while the store is unreachable), never a delivery, a retry or a dead letter, which are written on their
/// own. A flush that fails puts its counts back, merged with what was added meanwhile, so an outage of the
/// store loses nothing while the process lives. A DynamoDB flush that fails half way may count part of it
/// twice when it is tried again (its adds are not idempotent); stats are approximate by design.
/// </remarks>
public sealed class DeliveryCounters(IDeliveryStore store, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private Dictionary<(StatsScope Scope, DateTimeOffset Minute), Pending> _pending = [];

    /// <summary>Adds <paramref name="counts"/> to <paramref name="scope"/> for the current minute, and its latest success or failure.</summary>
    public void Add(StatsScope scope, DeliveryCounts counts, LastOutcome? success = null, LastOutcome? failure = null)
    {
        var key = (scope, StatsMinutes.Of(clock.GetUtcNow()));
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out var pending))
            {
                _pending[key] = pending = new Pending();
            }

            pending.Merge(counts, success, failure);
        }
    }

    /// <summary>
    /// Writes what was added since the last flush with one <see cref="IDeliveryStore.AddCountsAsync"/> call;
    /// when that fails, keeps it for the next flush and throws.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<(StatsScope Scope, DateTimeOffset Minute), Pending> batch;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            _pending = [];
        }

        var deltas = batch.Select(entry => new CountsDelta(entry.Key.Scope, entry.Key.Minute, entry.Value.Counts, entry.Value.Success, entry.Value.Failure)).ToList();
        try
        {
            await store.AddCountsAsync(deltas, cancellationToken);
        }
        catch
        {
            lock (_gate)
            {
                foreach (var (key, kept) in batch)
                {
                    if (!_pending.TryGetValue(key, out var pending))
                    {
                        _pending[key] = kept;
                    }
                    else
                    {
                        pending.Merge(kept.Counts, kept.Success, kept.Failure);
                    }
                }
            }

            throw;
        }
    }

    /// <summary>One scope's minute, mutated only under the lock.</summary>
    private sealed class Pending
    {
        public DeliveryCounts Counts { get; private set; }

        public LastOutcome? Success { get; private set; }

        public LastOutcome? Failure { get; private set; }

        public void Merge(DeliveryCounts counts, LastOutcome? success, LastOutcome? failure)
        {
            Counts += counts;
            Success = Later(Success, success);
            Failure = Later(Failure, failure);
        }

        private static LastOutcome? Later(LastOutcome? current, LastOutcome? candidate) =>
            candidate is not null && (current is null || candidate.At > current.At) ? candidate : current;
    }
}
