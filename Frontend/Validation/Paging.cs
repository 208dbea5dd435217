using System.Globalization;
using Notify.Frontend.Errors;

namespace Notify.Frontend.Validation;

/// <summary>
/// The <c>limit</c> query parameter of listings. Bound as text and parsed here, so a wrong value is
/// answered in API terms rather than with the framework's binding message (which names .NET types).
/// </summary>
internal static class Paging
{
    /// <exception cref="InvalidRequestException">The limit is not an integer from 1 to <see cref="Limits.MaxPageSize"/>.</exception>
    public static int Limit(string? limit)
    {
        if (limit is null)
        {
            return Limits.DefaultPageSize;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Limits.MaxPageSize)
        {
            return value;
        }

        throw InvalidRequestException.For("limit", $"The limit must be an integer from 1 to {Limits.MaxPageSize}; it was '{limit}'.");
    }
}
