using Notify.Metadata.Deliveries;
using Notify.Metadata.Store;

namespace Notify.Metadata.Retention;

/// <summary>
/// The cursor of a topic's retained messages: the last message id of a page, tagged with the topic and the
/// window, so it continues only the listing that made it.
/// </summary>
internal static class RetainedListing
{
    public static string ToCursor(string topic, TimeWindow published, string lastMessageId) =>
        Cursor.Encode(Listing(topic, published), lastMessageId);

    /// <returns>The last message id of the previous page, or null for the first page.</returns>
    /// <exception cref="InvalidCursorException">The cursor was made for another listing or is malformed.</exception>
    public static string? After(string topic, TimeWindow published, string? cursor) =>
        Cursor.Decode(Listing(topic, published), cursor);

    private static string Listing(string topic, TimeWindow published) =>
        $"retained?topic={topic}&from={published.From?.ToUnixTimeMilliseconds()}&to={published.To?.ToUnixTimeMilliseconds()}";
}
