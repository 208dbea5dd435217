using System.Security.Claims;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>
/// What a request's principal may do on which topics, read from its claims (<see cref="ApiKeyClaims"/>): the
/// admin key everything, a scoped key its permissions on the topics its patterns cover. A pattern is a topic
/// name, a prefix ending in <c>*</c> (<c>billing-*</c>), or <c>*</c> for every topic; names compare ordinally,
/// as the stores do.
/// </summary>
internal sealed class TopicScope
{
    private readonly HashSet<ApiKeyPermission> _permissions;
    private readonly string[] _patterns;

    private TopicScope(bool isAdmin, HashSet<ApiKeyPermission> permissions, string[] patterns)
    {
        IsAdmin = isAdmin;
        _permissions = permissions;
        _patterns = patterns;
    }

    public bool IsAdmin { get; }

    /// <summary>The admin key's scope: every permission on every topic, the same for every call.</summary>
    private static readonly TopicScope Admin = new(isAdmin: true, [], []);

    public static TopicScope Of(ClaimsPrincipal user) => user.IsInRole(ApiKeyClaims.AdminRole) ? Admin : new(
        isAdmin: false,
        user.FindAll(ApiKeyClaims.Permission).Select(c => ApiKeyPermissionNames.Parse(c.Value)).OfType<ApiKeyPermission>().ToHashSet(),
        user.FindAll(ApiKeyClaims.Topics).Select(c => c.Value).ToArray());

    /// <summary>Whether the key holds <paramref name="permission"/> (or one that includes it) on any topic.</summary>
    public bool Has(ApiKeyPermission permission) => IsAdmin || KeyPermissions.Granting(permission).Any(_permissions.Contains);

    /// <summary>Whether one of the key's patterns covers <paramref name="topic"/>, whatever its permissions.</summary>
    public bool Covers(string topic) => IsAdmin || _patterns.Any(p => Matches(p, topic));

    public bool Allows(ApiKeyPermission permission, string topic) => Has(permission) && Covers(topic);

    public static bool Matches(string pattern, string topic) =>
        pattern.EndsWith('*') ? topic.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal) : pattern == topic;
}
