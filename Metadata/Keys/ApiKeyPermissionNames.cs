namespace Notify.Metadata.Keys;

/// <summary>The names of permissions in the API and in the stores: the lower-case member names.</summary>
public static class ApiKeyPermissionNames
{
    public static readonly IReadOnlyList<string> All = Enum.GetValues<ApiKeyPermission>().Select(Of).ToList();

    public static string Of(ApiKeyPermission permission) => permission.ToString().ToLowerInvariant();

    /// <returns>Null for a name that is no permission.</returns>
    public static ApiKeyPermission? Parse(string? name) =>
        Enum.GetValues<ApiKeyPermission>().Cast<ApiKeyPermission?>().FirstOrDefault(p => Of(p!.Value) == name);
}
