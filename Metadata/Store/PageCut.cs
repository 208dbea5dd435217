using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

internal static class PageCut
{
    /// <summary>
    /// The page of at most <paramref name="limit"/> items that <paramref name="items"/> begin with. Listings
    /// read more than a page (one row more, or a query's last batch) to tell whether another page follows:
    /// when one does, the cursor is that of the page's last item.
    /// </summary>
    public static Page<T> ToPage<T>(List<T> items, int limit, Func<T, string> cursorOf)
    {
        if (items.Count <= limit)
        {
            return new Page<T>(items, null);
        }

        items.RemoveRange(limit, items.Count - limit);
        return new Page<T>(items, cursorOf(items[^1]));
    }
}
