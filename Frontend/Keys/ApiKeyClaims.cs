using System.Globalization;
using System.Security.Claims;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>
/// What the principal of a request says about its key. The throttle and the audit trail read these claims,
/// so their names are part of the Frontend's inner contract: <see cref="ClaimTypes.Name"/> is the key id (the
/// admin key's is <c>AdminKey.Id</c>), <see cref="ClaimTypes.Role"/> is <see cref="AdminRole"/> for the admin
/// key only, then one claim per permission and per topic pattern, and the rate limits the key sets.
/// </summary>
internal static class ApiKeyClaims
{
    public const string AdminRole = "admin";
    public const string Permission = "notify:permission";
    public const string Topics = "notify:topics";
    public const string PublishPerSecond = "notify:rate:publishPerSecond";
    public const string PublishBurst = "notify:rate:publishBurst";
    public const string RequestsPerSecond = "notify:rate:requestsPerSecond";
    public const string RequestsBurst = "notify:rate:requestsBurst";

    public static ClaimsIdentity Admin(string adminId, string scheme) =>
        new([new Claim(ClaimTypes.Name, adminId), new Claim(ClaimTypes.Role, AdminRole)], scheme);

    public static ClaimsIdentity Scoped(ApiKey key, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, key.Id) };
        claims.AddRange(key.Permissions.Select(p => new Claim(Permission, ApiKeyPermissionNames.Of(p))));
        claims.AddRange(key.Topics.Select(t => new Claim(Topics, t)));
        if (key.RateLimit is { } rate)
        {
            AddNumber(claims, PublishPerSecond, rate.PublishPerSecond);
            AddNumber(claims, PublishBurst, rate.PublishBurst);
            AddNumber(claims, RequestsPerSecond, rate.RequestsPerSecond);
            AddNumber(claims, RequestsBurst, rate.RequestsBurst);
        }

        return new ClaimsIdentity(claims, scheme);
    }

    private static void AddNumber(List<Claim> claims, string type, double? value)
    {
        if (value is { } number)
        {
            claims.Add(new Claim(type, number.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Double));
        }
    }
}
