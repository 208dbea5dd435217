namespace Notify.Shared.Filtering.Conditions;

/// <summary><c>{"equals-ignore-case": "x"}</c>: the value is x in any letter case.</summary>
internal sealed class IgnoreCaseMatch(string expected) : FilterCondition
{
    public override bool Matches(string? value) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
