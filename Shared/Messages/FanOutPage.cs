namespace Notify.Shared.Messages;

/// <summary>
/// One page of a large topic's fan-out, queued as work of its own so that any Sender may deliver it: the
/// topic's confirmed subscriptions whose id is after <see cref="After"/> (from the first when null) and at
/// most <see cref="Through"/>. Ids sort by creation time, so a range holds the subscriptions it held when
/// the page was cut (less those gone since); one created after the publish falls after the last page.
/// </summary>
public sealed record FanOutPage
{
    public string? After { get; init; }

    public required string Through { get; init; }

    /// <summary>The page's number in its fan-out, from 1: for logs.</summary>
    public required int Number { get; init; }
}
