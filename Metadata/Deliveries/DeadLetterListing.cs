using Notify.Metadata.Store;

namespace Notify.Metadata.Deliveries;

/// <summary>
/// The cursor of a subscription's dead letters: the last message id of a page, tagged with the subscription
/// and the window, so it continues only the listing that made it.
/// </summary>
internal static class DeadLetterListing
{
    public static string ToCursor(string subscriptionId, TimeWindow? published, string lastMessageId) =>
        Cursor.Encode(Listing(subscriptionId, published), lastMessageId);

    /// <returns>The last message id of the previous page, or null for the first page.</returns>
    /// <exception cref="InvalidCursorException">The cursor was made for another listing or is malformed.</exception>
    public static string? After(string subscriptionId, TimeWindow? published, string? cursor) =>
        Cursor.Decode(Listing(subscriptionId, published), cursor);

    private static string Listing(string subscriptionId, TimeWindow? published) =>
        $"dead-letters?subscription={subscriptionId}&from={published?.From?.ToUnixTimeMilliseconds()}&to={published?.To?.ToUnixTimeMilliseconds()}";
}
