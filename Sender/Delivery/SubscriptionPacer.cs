using System.Collections.Concurrent;

namespace Notify.Sender.Delivery;

/// <summary>
/// Paces each subscription that has a <c>maxPerSecond</c>: every delivery reserves the next free turn (a
/// GCRA schedule with no burst: turns are 1/rate apart), and one whose turn is later waits for it on the
/// queue, durably, rather than being dropped. Hand-written because System.Threading.RateLimiting's limiters
/// answer "now or not" and queue waiters in memory, while a delivery needs the time of its turn to schedule
/// it on the queue.
/// </summary>
/// <remarks>
/// Turns are kept in this process, so the pace holds per Sender: in Aws mode, with N Senders receiving a
/// paced subscription's deliveries, the endpoint may see up to N times its rate. Entries idle for a minute
/// are dropped.
/// </remarks>
internal sealed class SubscriptionPacer(TimeProvider clock)
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Turns> _bySubscription = new();
    private long _reservations;

    /// <summary>Reserves the subscription's next turn at <paramref name="maxPerSecond"/>: now, or a later time to wait for.</summary>
    public DateTimeOffset Reserve(string subscriptionId, double maxPerSecond)
    {
        var now = clock.GetUtcNow();
        var turns = _bySubscription.GetOrAdd(subscriptionId, static _ => new Turns());
        DateTimeOffset turn;
        lock (turns)
        {
            turn = turns.Next > now ? turns.Next : now;
            turns.Next = turn + TimeSpan.FromSeconds(1 / maxPerSecond);
        }

        if (Interlocked.Increment(ref _reservations) % 1024 == 0)
        {
            ForgetIdle(now);
        }

        return turn;
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (id, turns) in _bySubscription)
        {
            if (turns.Next + IdleAfter < now)
            {
                _bySubscription.TryRemove(new KeyValuePair<string, Turns>(id, turns));
            }
        }
    }

    private sealed class Turns
    {
        public DateTimeOffset Next;
    }
}
