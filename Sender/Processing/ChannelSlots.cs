using Notify.Metadata.Model;
using Notify.Sender.Channels;

namespace Notify.Sender.Processing;

/// <summary>
/// One pool of <see cref="DeliverySlots"/> per protocol: each channel's bulkhead. A slow SMTP server
/// fills the email pool only; webhooks and SMS keep their own slots.
/// </summary>
internal sealed class ChannelSlots : IDisposable
{
    private readonly Dictionary<Protocol, DeliverySlots> _pools = [];

    /// <param name="sharedCapacity">The pool size of channels without their own (webhooks), and of protocols without a channel.</param>
    public ChannelSlots(DeliveryChannels channels, int sharedCapacity, TimeProvider timeProvider)
    {
        foreach (var protocol in Enum.GetValues<Protocol>())
        {
            var capacity = channels.TryGet(protocol, out var channel) && channel.MaxConcurrent is { } own ? own : sharedCapacity;
            _pools[protocol] = new DeliverySlots(capacity, timeProvider);
        }
    }

    public DeliverySlots For(Protocol protocol) => _pools[protocol];

    /// <summary>
    /// Slots in use per protocol, by its API name (webhook, email, sms): the source to hand to
    /// <c>NotifyMetrics.ObservePermits</c>. Reads counters only, so a scrape can call it.
    /// </summary>
    public IEnumerable<(string Protocol, int InUse)> InUse()
    {
        foreach (var (protocol, pool) in _pools)
        {
            yield return (protocol.ApiName(), pool.InUse);
        }
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            pool.Dispose();
        }
    }
}
