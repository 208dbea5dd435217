namespace Notify.Shared.Filtering.Conditions;

/// <summary>
/// <c>{"numeric": [...]}</c> or a plain number: the value, read as a number, lies within the bounds
/// (a plain number and <c>["=", n]</c> are the range from n to n, both included). A value that is not
/// a number does not match.
/// </summary>
internal sealed class NumericRange(decimal? lower, bool lowerIncluded, decimal? upper, bool upperIncluded) : FilterCondition
{
    public static NumericRange Exactly(decimal number) => new(number, true, number, true);

    public override bool Matches(string? value)
    {
        if (value is null || !FilterNumber.TryParseValue(value, out var number))
        {
            return false;
        }

        var aboveLower = lower is not { } low || (lowerIncluded ? number >= low : number > low);
        var belowUpper = upper is not { } high || (upperIncluded ? number <= high : number < high);
        return aboveLower && belowUpper;
    }
}
