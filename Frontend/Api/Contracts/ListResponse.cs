using System.Text.Json.Serialization;

namespace Notify.Frontend.Api.Contracts;

/// <summary>One page of a listing; pass <see cref="NextCursor"/> back as <c>cursor</c> for the next.</summary>
public sealed record ListResponse<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
