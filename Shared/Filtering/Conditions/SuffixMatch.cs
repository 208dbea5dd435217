namespace Notify.Shared.Filtering.Conditions;

/// <summary><c>{"suffix": "x"}</c>: the value ends with x.</summary>
internal sealed class SuffixMatch(string suffix) : FilterCondition
{
    public override bool Matches(string? value) => value is not null && value.EndsWith(suffix, StringComparison.Ordinal);
}
