using Notify.Metadata.Model;

namespace Notify.Sender.Processing;

/// <summary>
/// Who a received message goes to: its <see cref="Targets"/>, or, for a notification to a topic larger than
/// one page, the topic's first page (<see cref="SplitFrom"/>): the message is then split into pages queued as
/// work of their own instead of being delivered here.
/// </summary>
internal sealed record TargetResolution(IReadOnlyList<DeliveryTarget> Targets)
{
    public SubscriberPage? SplitFrom { get; private init; }

    public static TargetResolution Split(SubscriberPage first) => new([]) { SplitFrom = first };
}
