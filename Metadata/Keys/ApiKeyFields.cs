namespace Notify.Metadata.Keys;

/// <summary>
/// How a key's lists are written in a store: permissions by their API names, topics and permissions joined by
/// commas. Topic patterns hold only A-Z, a-z, 0-9, '_', '-' and '*' (the API refuses anything else), so a comma
/// never occurs inside one.
/// </summary>
internal static class ApiKeyFields
{
    public static string Name(ApiKeyPermission permission) => permission.ToString().ToLowerInvariant();

    public static ApiKeyPermission Permission(string name) => Enum.Parse<ApiKeyPermission>(name, ignoreCase: true);

    public static string Join(IEnumerable<string> values) => string.Join(',', values);

    public static string[] Split(string joined) => joined.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
