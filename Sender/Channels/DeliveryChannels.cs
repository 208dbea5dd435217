using System.Diagnostics.CodeAnalysis;
using Notify.Metadata.Model;

namespace Notify.Sender.Channels;

/// <summary>The registered channels, one per protocol. A protocol may have none yet (email and SMS come later).</summary>
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
