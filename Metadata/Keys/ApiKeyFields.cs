namespace Notify.Metadata.Keys;

/// <summary>
/// How a key's lists are written in a store: permissions by their API names, topics and permissions joined by
/// commas. Topic patterns hold only A-Z, a-z, 0-9, '_', '-' and '*' (the API refuses anything else), so a comma
/// never occurs inside one.
/// </summary>
internal static class ApiKeyFields
{
    public static string JoinPermissions(IEnumerable<ApiKeyPermission> permissions) => Join(permissions.Select(ApiKeyPermissionNames.Of));

    public static List<ApiKeyPermission> SplitPermissions(string joined) =>
        Split(joined).Select(name => ApiKeyPermissionNames.Parse(name) ?? throw new FormatException($"The stored permission '{name}' is unknown.")).ToList();

    public static string Join(IEnumerable<string> values) => string.Join(',', values);

    public static string[] Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
