using System.Diagnostics.CodeAnalysis;
using Notify.Metadata.Model;

namespace Notify.Sender.Channels;

/// <summary>The registered channels, one per protocol (webhook, email, SMS); a protocol without one is logged as given up.</summary>
internal sealed class DeliveryChannels
{
    private readonly Dictionary<Protocol, IDeliveryChannel> _byProtocol;

    public DeliveryChannels(IEnumerable<IDeliveryChannel> channels)
    {
        _byProtocol = [];
        foreach (var channel in channels)
        {
            if (!_byProtocol.TryAdd(channel.Protocol, channel))
            {
                throw new InvalidOperationException(
                    $"Two delivery channels are registered for protocol {channel.Protocol}: " +
                    $"{_byProtocol[channel.Protocol].GetType().Name} and {channel.GetType().Name}.");
            }
        }
    }

    public bool TryGet(Protocol protocol, [NotNullWhen(true)] out IDeliveryChannel? channel) =>
        _byProtocol.TryGetValue(protocol, out channel);
}
