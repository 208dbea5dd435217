namespace Notify.Shared.Filtering.Conditions;

/// <summary><c>{"exists": true}</c>: the message carries the attribute (any value); <c>false</c>: it does not.</summary>
internal sealed class ExistsMatch(bool exists) : FilterCondition
{
    public override bool Matches(string? value) => value is not null == exists;
}
