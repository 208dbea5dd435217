using System.Text.Json;
using Notify.Shared.Filtering.Conditions;

namespace Notify.Shared.Filtering;

/// <summary>
/// Reads the operand of <c>{"numeric": [...]}</c>: <c>["=", n]</c>, one bound (<c>[">", 0]</c>), or a
/// lower bound followed by an upper one (<c>[">", 0, "<=", 100]</c>).
/// </summary>
internal static class NumericParser
{
    private const string Shape = "\"numeric\" needs an array such as [\"=\", 5], [\">\", 0] or [\">\", 0, \"<=\", 100].";

    public static NumericRange Parse(JsonElement operand, string path)
    {
        var length = operand.ValueKind == JsonValueKind.Array ? operand.GetArrayLength() : 0;
        if (length is not (2 or 4))
        {
            throw new FilterPolicyException(path, Shape);
        }

        var inner = FilterPath.Member(path, "numeric");
        var (firstOperator, first) = Comparison(operand, 0, inner);
        if (firstOperator == "=")
        {
            return length == 2
                ? NumericRange.Exactly(first)
                : throw new FilterPolicyException(path, "\"=\" stands alone, as in [\"=\", 5]; a range uses <, <=, > and >=.");
        }

        if (length == 2)
        {
            return IsLower(firstOperator)
                ? new NumericRange(first, firstOperator == ">=", null, false)
                : new NumericRange(null, false, first, firstOperator == "<=");
        }

        var (secondOperator, second) = Comparison(operand, 2, inner);
        if (!IsLower(firstOperator) || secondOperator is not ("<" or "<="))
        {
            throw new FilterPolicyException(path, "a range is a lower bound (> or >=) followed by an upper bound (< or <=).");
        }

        var empty = first > second || (first == second && !(firstOperator == ">=" && secondOperator == "<="));
        return empty
            ? throw new FilterPolicyException(path, "the range holds no number: its lower bound is not below its upper bound.")
            : new NumericRange(first, firstOperator == ">=", second, secondOperator == "<=");
    }

    private static (string Operator, decimal Number) Comparison(JsonElement operand, int index, string path)
    {
        var comparison = operand[index];
        var op = comparison.ValueKind == JsonValueKind.String ? comparison.GetString() : null;
        if (op is not ("=" or "<" or "<=" or ">" or ">="))
        {
            throw new FilterPolicyException(FilterPath.Index(path, index), $"{Describe(comparison)} is not a comparison; use =, <, <=, > or >=.");
        }

        var number = operand[index + 1];
        return number.ValueKind == JsonValueKind.Number
            ? (op, ConditionParser.PolicyNumber(number, FilterPath.Index(path, index + 1)))
            : throw new FilterPolicyException(FilterPath.Index(path, index + 1), $"needs a number after \"{op}\".");
    }

    private static bool IsLower(string comparison) => comparison is ">" or ">=";

    private static string Describe(JsonElement element) => element.ValueKind == JsonValueKind.String ? $"\"{element.GetString()}\"" : element.GetRawText();
}
