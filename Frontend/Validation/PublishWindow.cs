using System.Globalization;
using System.Text.RegularExpressions;
using Notify.Frontend.Errors;
using Notify.Metadata.Deliveries;

namespace Notify.Frontend.Validation;

/// <summary>
/// The <c>from</c> and <c>to</c> of the dead-letter calls: a window on the messages' publish time, RFC 3339
/// times with an offset, <c>from</c> inclusive, <c>to</c> exclusive. Query values are bound as text and parsed
/// here, so a wrong one is answered in API terms.
/// </summary>
internal static partial class PublishWindow
{
    /// <summary>The window of the query, null when neither end is given.</summary>
    /// <exception cref="InvalidRequestException">A time is not RFC 3339, or <c>to</c> is not after <c>from</c>.</exception>
    public static TimeWindow? FromQuery(string? from, string? to)
    {
        var errors = new ValidationErrors();
        var fromTime = Parse("from", from, errors);
        var toTime = Parse("to", to, errors);
        if (!errors.IsEmpty)
        {
            throw new InvalidRequestException(errors);
        }

        return Check(fromTime, toTime);
    }

    /// <summary>The window of times already parsed (a JSON body's), null when neither end is given.</summary>
    /// <exception cref="InvalidRequestException"><c>to</c> is not after <c>from</c>.</exception>
    public static TimeWindow? Check(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start && to is { } end && end <= start)
        {
            throw InvalidRequestException.For("to", $"to must be after from; from is {Format(start)} and to is {Format(end)}.");
        }

        return from is null && to is null ? null : new TimeWindow(from, to);
    }

    private static DateTimeOffset? Parse(string field, string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        // RFC 3339 requires the offset; a time without one would be read in the server's zone.
        if (Rfc3339().IsMatch(value)
            && DateTimeOffset.TryParse(value.ToUpperInvariant().Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, $"{field} must be an RFC 3339 date and time with its offset, such as 2026-12-02T10:00:00Z; it was '{value}'. Encode a '+' offset as %2B in a query.");
        return null;
    }

    private static string Format(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
