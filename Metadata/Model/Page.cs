namespace Notify.Metadata.Model;

/// <summary>One page of a listing; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
