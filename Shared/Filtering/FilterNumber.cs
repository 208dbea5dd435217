using System.Globalization;
using System.Text.Json;

namespace Notify.Shared.Filtering;

/// <summary>
/// Numbers as filter policies compare them, after SNS: policy numbers between -10^9 and 10^9, and both
/// sides rounded to five decimal places (SNS's stated accuracy), compared as decimals so that 0.1 + 0.2
/// problems of binary floating point never decide a match.
/// </summary>
internal static class FilterNumber
{
    public const decimal Limit = 1_000_000_000m;

    private const int Decimals = 5;

    // The JSON number forms: sign, digits, point, exponent. No spaces, thousands separators, hex, NaN or Infinity.
    private const NumberStyles ValueStyles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Reads an attribute's value as a number, in the invariant culture.</summary>
    public static bool TryParseValue(string value, out decimal number)
    {
        if (decimal.TryParse(value, ValueStyles, CultureInfo.InvariantCulture, out var parsed))
        {
            number = Math.Round(parsed, Decimals, MidpointRounding.AwayFromZero);
            return true;
        }

        number = 0;
        return false;
    }

    /// <summary>Reads a number of the policy; false when it is not a number or lies beyond ±10^9.</summary>
    public static bool TryReadPolicy(JsonElement element, out decimal number)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var parsed) && parsed is >= -Limit and <= Limit)
        {
            number = Math.Round(parsed, Decimals, MidpointRounding.AwayFromZero);
            return true;
        }

        number = 0;
        return false;
    }
}
