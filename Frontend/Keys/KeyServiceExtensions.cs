using Microsoft.AspNetCore.Authorization;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

public static class KeyServiceExtensions
{
    /// <summary>
    /// Scoped API keys: their store in the metadata store of <c>Notify:Mode</c>, the cached lookup the
    /// authentication handler uses, and the authorization handlers deciding each endpoint's permission, with
    /// their 403 and 404 problems.
    /// </summary>
    public static WebApplicationBuilder AddNotifyApiKeys(this WebApplicationBuilder builder)
    {
        builder.AddNotifyApiKeyStore();
        builder.Services.AddSingleton<ApiKeyLookup>();
        builder.Services.AddSingleton<IAuthorizationHandler, TopicPermissionHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, KeyAuthorizationResults>();
        return builder;
    }
}
