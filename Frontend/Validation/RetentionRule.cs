using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;

namespace Notify.Frontend.Validation;

/// <summary>
/// A topic's <c>retention</c>: how long it keeps each message for replay, an ISO 8601 duration of weeks, or of
/// days, hours, minutes and seconds (<c>P7D</c>, <c>PT1H</c>, <c>P1DT12H</c>), from one second to 30 days.
/// Years and months are refused: their length depends on the calendar.
/// </summary>
internal static partial class RetentionRule
{
    public const string Field = "retention";

    /// <summary>The durations the API reads, for the OpenAPI document as well: at least one number, no fractions.</summary>
    public const string Pattern = @"^P(?:\d+W|(?!$)(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$";

    public static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromDays(30);

    /// <summary>The duration as the API writes it (<c>P7D</c>, <c>PT1H</c>), null for none.</summary>
    public static string? Format(TimeSpan? retention) => retention is { } kept ? XmlConvert.ToString(kept) : null;

    /// <summary>The retention of a creation's <c>retention</c> (null: none), or what is wrong with it.</summary>
    public static string? Check(string? value, out TimeSpan? retention)
    {
        retention = null;
        if (value is null)
        {
            return null;
        }

        if (Parse(value) is { } kept && kept >= Min && kept <= Max)
        {
            retention = kept;
            return null;
        }

        return $"retention is {JsonSerializer.Serialize(value)}; it must be an ISO 8601 duration from PT1S to P30D, such as \"P7D\" or \"PT1H\", or null.";
    }

    /// <summary>The retention of a merge patch's <c>retention</c> (null: remove it), or what is wrong with it.</summary>
    public static string? Check(JsonElement value, out TimeSpan? retention)
    {
        retention = null;
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => Check(value.GetString(), out retention),
            _ => $"retention must be a string holding an ISO 8601 duration from PT1S to P30D, such as \"P7D\", or null to remove it; it is {value.GetRawText()}.",
        };
    }

    private static TimeSpan? Parse(string value)
    {
        var match = Duration().Match(value);
        if (!match.Success || value is "P" or "PT" || value.EndsWith('T'))
        {
            return null;
        }

        // Each part is at most 10 digits (the pattern), so none overflows; the sum is range-checked by the caller.
        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = Part("w") * 604_800 + Part("d") * 86_400 + Part("h") * 3_600 + Part("m") * 60 + Part("s");
        return TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex(@"^P(?:(?<w>\d{1,10})W|(?:(?<d>\d{1,10})D)?(?:T(?:(?<h>\d{1,10})H)?(?:(?<m>\d{1,10})M)?(?:(?<s>\d{1,10})S)?)?)$")]
    private static partial Regex Duration();
}
