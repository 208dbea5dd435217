using Notify.Metadata.Deliveries.Pacing;

namespace Notify.Sender.Delivery;

/// <summary>
/// Paces each subscription that has a <c>maxPerSecond</c>, in two steps, each on a line of turns 1/rate apart
/// in the <see cref="IPaceStore"/> every Sender shares. First every delivery reserves a turn on the
/// subscription's <em>turns</em> line, and one whose turn is later waits for it on the queue, durably, rather
/// than being dropped. The queue brings work back only about on time (SQS counts delays in whole seconds,
/// and a receive may come late), so second, just before its request goes out (<see cref="WaitToSendAsync"/>),
/// a delivery takes a turn on the subscription's <em>sends</em> line and waits for it: two requests to the
/// subscription, from any Senders, are never closer than 1/rate. Hand-written because
/// System.Threading.RateLimiting's limiters answer "now or not" and keep their state in one process, while a
/// delivery needs the time of its turn to schedule it on the queue, from state all Senders share.
/// </summary>
internal sealed class SubscriptionPacer(IPaceStore store, TimeProvider clock)
{
    /// <summary>Reserves the subscription's next turn at <paramref name="maxPerSecond"/>: now, or a later time to wait for.</summary>
    public Task<DateTimeOffset> ReserveAsync(string subscriptionId, double maxPerSecond, CancellationToken cancellationToken) =>
        store.TakeTurnAsync(subscriptionId + "/turns", Interval(maxPerSecond), cancellationToken);

    /// <summary>
    /// Waits until a request to the subscription is at least 1/rate after the one before it (from any Sender),
    /// and counts it as sent then. Work that came back from the queue late waits here for a moment instead of
    /// going out together with the next.
    /// </summary>
    public async Task WaitToSendAsync(string subscriptionId, double maxPerSecond, CancellationToken cancellationToken)
    {
        var send = await store.TakeTurnAsync(subscriptionId + "/sends", Interval(maxPerSecond), cancellationToken);
        var wait = send - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    private static TimeSpan Interval(double maxPerSecond) => TimeSpan.FromSeconds(1 / maxPerSecond);
}
