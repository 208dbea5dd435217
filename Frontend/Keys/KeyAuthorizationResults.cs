using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Notify.Frontend.Errors;

namespace Notify.Frontend.Keys;

/// <summary>
/// Answers a refused request with a problem: 401 through the authentication scheme's challenge, 403 saying
/// which permission on which topic is needed, or 404 like an unknown id where the subscription belongs to a
/// topic the key does not cover.
/// </summary>
internal sealed class KeyAuthorizationResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TopicPermissionFailure>().FirstOrDefault();
        var result = reason switch
        {
            { HideAsNotFound: true } => Problems.SubscriptionNotFound(context.GetRouteValue("id") as string ?? string.Empty),
            not null => Problems.Status(StatusCodes.Status403Forbidden, reason.Message),
            null => Problems.Status(StatusCodes.Status403Forbidden, "This API key may not make this call; use the admin key, or a key with the permission the call needs (docs/security.md lists them)."),
        };
        await result.ExecuteAsync(context);
    }
}
