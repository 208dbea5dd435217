using System.Collections.Concurrent;

namespace Notify.Sender.Delivery;

/// <summary>
/// Paces each subscription that has a <c>maxPerSecond</c>, in two steps. First every delivery reserves the
/// next free turn (a GCRA schedule with no burst: turns are 1/rate apart), and one whose turn is later waits
/// for it on the queue, durably, rather than being dropped. The queue brings work back only about on time
/// (SQS counts delays in whole seconds), so second, just before each request, <see cref="WaitToSendAsync"/>
/// keeps this process's requests to the subscription at least 1/rate apart. Hand-written because
/// System.Threading.RateLimiting's limiters answer "now or not" and queue waiters in memory, while a
/// delivery needs the time of its turn to schedule it on the queue.
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

    /// <summary>
    /// Waits until a request to the subscription keeps this process's requests to it at least 1/rate apart,
    /// and counts it as sent then. Work that came back from the queue late waits here for a moment instead of
    /// going out together with the next.
    /// </summary>
    public async Task WaitToSendAsync(string subscriptionId, double maxPerSecond, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var turns = _bySubscription.GetOrAdd(subscriptionId, static _ => new Turns());
        DateTimeOffset send;
        lock (turns)
        {
            send = turns.LastSent is { } last && last + TimeSpan.FromSeconds(1 / maxPerSecond) > now
                ? last + TimeSpan.FromSeconds(1 / maxPerSecond)
                : now;
            turns.LastSent = send;
            if (turns.Next < send)
            {
                turns.Next = send;
            }
        }

        if (send > now)
        {
            await Task.Delay(send - now, clock, cancellationToken);
        }
    }

    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (id, turns) in _bySubscription)
        {
            if (turns.Next + IdleAfter < now && (turns.LastSent ?? default) + IdleAfter < now)
            {
                _bySubscription.TryRemove(new KeyValuePair<string, Turns>(id, turns));
            }
        }
    }

    private sealed class Turns
    {
        /// <summary>The next turn free to reserve.</summary>
        public DateTimeOffset Next;

        /// <summary>When the latest request to the subscription went (or goes) out.</summary>
        public DateTimeOffset? LastSent;
    }
}
