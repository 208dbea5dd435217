namespace Notify.Frontend.Validation;

internal static class Paging
{
    public static string? Check(int? limit) =>
        limit is null or (>= 1 and <= Limits.MaxPageSize)
            ? null
            : $"The limit must be between 1 and {Limits.MaxPageSize}; it was {limit}.";
}
