using System.Globalization;
using System.Security.Claims;
using Notify.Frontend.Keys;

namespace Notify.Frontend.RateLimiting;

/// <summary>
/// Which limits hold for the caller: none for the admin key or an unauthenticated call, else the key's
/// own limits (the claims of ApiKeyClaims, set when the key was created) in place of the configured defaults.
/// </summary>
internal static class KeyLimits
{
    /// <summary>The key id to count calls against, or null when the call is not throttled by key.</summary>
    public static string? ThrottledKey(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && !user.IsInRole(ApiKeyClaims.AdminRole) ? user.FindFirstValue(ClaimTypes.Name) : null;

    public static TokenBucket? Publish(ClaimsPrincipal user, RateLimitOptions defaults) =>
        Of(user, ApiKeyClaims.PublishPerSecond, ApiKeyClaims.PublishBurst, defaults.PublishPerSecond, defaults.PublishBurst);

    public static TokenBucket? Requests(ClaimsPrincipal user, RateLimitOptions defaults) =>
        Of(user, ApiKeyClaims.RequestsPerSecond, ApiKeyClaims.RequestsBurst, defaults.RequestsPerSecond, defaults.RequestsBurst);

    /// <summary>
    /// A claim the key store wrote but that does not read as a number is ignored (the configured
    /// default holds): a key must not become unlimited, nor unusable, through one bad value.
    /// </summary>
    private static TokenBucket? Of(ClaimsPrincipal user, string rateClaim, string burstClaim, double? defaultRate, int? defaultBurst)
    {
        var rate = double.TryParse(user.FindFirstValue(rateClaim), NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
            && r > 0 && r <= RateLimitOptions.MaxPerSecond ? r : (double?)null;
        var burst = int.TryParse(user.FindFirstValue(burstClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b)
            && b >= 1 ? b : (int?)null;

        // A key that sets only its rate gets that rate's own default burst, not the configured burst
        // that was sized for the configured rate.
        return rate is not null
            ? TokenBucket.From(rate, burst)
            : TokenBucket.From(defaultRate, burst ?? defaultBurst);
    }
}
