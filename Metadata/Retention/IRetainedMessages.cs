using Notify.Metadata.Deliveries;
using Notify.Metadata.Model;

namespace Notify.Metadata.Retention;

/// <summary>
/// The messages of topics that keep theirs (<see cref="Topic.Retention"/>), for replay: stored where the delivery
/// state is (<c>deliveries.db</c>, or the deliveries table). A message whose expiry has come by the store's
/// clock is absent from every read, whether or not it is deleted yet.
/// </summary>
public interface IRetainedMessages
{
    /// <summary>Keeps <paramref name="message"/>; keeping the same topic and message id again replaces it.</summary>
    Task KeepAsync(RetainedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The topic's messages published in [<see cref="TimeWindow.From"/>, <see cref="TimeWindow.To"/>) (an open
    /// end is unbounded), in publish (message id) order, at most <paramref name="limit"/>; pass the page's
    /// cursor back, with the same window, for the next.
    /// </summary>
    /// <exception cref="Store.InvalidCursorException">The cursor was not produced by this listing.</exception>
    Task<Page<RetainedMessage>> ListAsync(string topic, TimeWindow published, int limit, string? cursor, CancellationToken cancellationToken);
}
