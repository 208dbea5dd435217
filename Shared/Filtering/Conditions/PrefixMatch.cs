namespace Notify.Shared.Filtering.Conditions;

/// <summary><c>{"prefix": "x"}</c>: the value starts with x.</summary>
internal sealed class PrefixMatch(string prefix) : FilterCondition
{
    public override bool Matches(string? value) => value is not null && value.StartsWith(prefix, StringComparison.Ordinal);
}
