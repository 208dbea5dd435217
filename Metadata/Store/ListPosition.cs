using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>
/// Where a listing of subscriptions across topics stopped: everything before <paramref name="LastId"/> in
/// <paramref name="Topic"/> (and every earlier topic) was considered; a null <paramref name="LastId"/> means
/// all of <paramref name="Topic"/> was. Its cursor is tagged with the query, so it continues only that listing.
/// </summary>
internal sealed record ListPosition(string Topic, string? LastId)
{
    public string ToCursor(SubscriptionQuery query) => Cursor.Encode(Listing(query), $"{Topic}\n{LastId}");

    /// <returns>The position the cursor holds, or null for the first page.</returns>
    /// <exception cref="InvalidCursorException">The cursor was made for another listing or query, or is malformed.</exception>
    public static ListPosition? FromCursor(SubscriptionQuery query, string? cursor)
    {
        if (Cursor.Decode(Listing(query), cursor) is not { } text)
        {
            return null;
        }

        var separator = text.IndexOf('\n', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new InvalidCursorException();
        }

        var lastId = text[(separator + 1)..];
        return new ListPosition(text[..separator], lastId.Length == 0 ? null : lastId);
    }

    private static string Listing(SubscriptionQuery query) =>
        $"all-subscriptions?topic={query.Topic}&protocol={(query.Protocol is { } p ? StoredNames.Of(p) : null)}" +
        $"&status={(query.Status is { } s ? StoredNames.Of(s) : null)}";
}
