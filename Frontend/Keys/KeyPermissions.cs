using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>Which permission grants which: manage includes read.</summary>
internal static class KeyPermissions
{
    /// <summary>The permissions any of which allows what <paramref name="needed"/> allows.</summary>
    public static IEnumerable<ApiKeyPermission> Granting(ApiKeyPermission needed) =>
        needed == ApiKeyPermission.Read ? [ApiKeyPermission.Read, ApiKeyPermission.Manage] : [needed];
}
