namespace Notify.Shared.Filtering.Conditions;

/// <summary>
/// <c>{"anything-but": [...]}</c>: the message carries the attribute and its value is none of the
/// strings and equals none of the numbers. A missing attribute does not match, as in SNS.
/// </summary>
internal sealed class AnythingBut(IReadOnlyCollection<string> strings, IReadOnlyCollection<decimal> numbers) : FilterCondition
{
    private readonly HashSet<string> _strings = new(strings, StringComparer.Ordinal);
    private readonly HashSet<decimal> _numbers = [.. numbers];

    public override bool Matches(string? value) =>
        value is not null
        && !_strings.Contains(value)
        && !(_numbers.Count > 0 && FilterNumber.TryParseValue(value, out var number) && _numbers.Contains(number));
}
