namespace Notify.Shared.Filtering.Conditions;

/// <summary>One condition of a filter policy's array, tested against one attribute's value.</summary>
internal abstract class FilterCondition
{
    /// <param name="value">The attribute's value; null when the message does not carry the attribute.</param>
    public abstract bool Matches(string? value);
}
