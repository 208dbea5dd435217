namespace Notify.Metadata.Model;

/// <summary>
/// One page of a topic's confirmed subscriptions, in id order (subscription ids sort by creation time), as
/// a fan-out reads them: a page at a time, so no list of a whole large topic is ever held.
/// </summary>
/// <param name="Subscribers">At most <paramref name="Limit"/> confirmed subscriptions.</param>
/// <param name="ContinueAfter">The id the next page starts after; null when this page is the topic's last.</param>
/// <param name="Limit">The most subscriptions the page was read with.</param>
public sealed record SubscriberPage(IReadOnlyList<Subscription> Subscribers, string? ContinueAfter, int Limit)
{
    /// <summary>Cuts <paramref name="read"/>, up to <paramref name="limit"/> + 1 subscriptions in id order, to a page.</summary>
    public static SubscriberPage Of(IReadOnlyList<Subscription> read, int limit) =>
        read.Count > limit
            ? new SubscriberPage(read.Take(limit).ToList(), read[limit - 1].Id, limit)
            : new SubscriberPage(read, null, limit);
}
