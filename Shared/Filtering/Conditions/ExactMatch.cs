namespace Notify.Shared.Filtering.Conditions;

/// <summary>A plain string: the value is exactly it (case-sensitive, as SNS).</summary>
internal sealed class ExactMatch(string expected) : FilterCondition
{
    public override bool Matches(string? value) => string.Equals(value, expected, StringComparison.Ordinal);
}
