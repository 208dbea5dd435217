namespace Notify.Shared.Filtering.Conditions;

/// <summary><c>{"anything-but": {"prefix": "x"}}</c>: the message carries the attribute and its value does not start with x.</summary>
internal sealed class AnythingButPrefix(string prefix) : FilterCondition
{
    public override bool Matches(string? value) => value is not null && !value.StartsWith(prefix, StringComparison.Ordinal);
}
