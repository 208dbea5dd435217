using System.Buffers.Text;
using System.Text;

namespace Notify.Metadata.Store;

/// <summary>
/// Opaque paging cursors: the last key of a page, tagged with the listing it belongs to, in base64url.
/// The tag makes a cursor from one listing (topics) fail cleanly in another (a topic's subscriptions).
/// </summary>
internal static class Cursor
{
    public static string Encode(string listing, string lastKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{listing}\n{lastKey}"));

    /// <returns>The last key of the previous page, or null for the first page.</returns>
    /// <exception cref="InvalidCursorException">The cursor was made for another listing or is malformed.</exception>
    public static string? Decode(string listing, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw new InvalidCursorException();
        }

        var prefix = listing + "\n";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Length == prefix.Length)
        {
            throw new InvalidCursorException();
        }

        return text[prefix.Length..];
    }
}
