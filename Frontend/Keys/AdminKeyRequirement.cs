using Microsoft.AspNetCore.Authorization;

namespace Notify.Frontend.Keys;

/// <summary>The endpoint is for the admin key alone (managing keys): a scoped key is refused whatever its permissions.</summary>
internal sealed class AdminKeyRequirement : AuthorizationHandler<AdminKeyRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminKeyRequirement requirement)
    {
        if (context.User.IsInRole(ApiKeyClaims.AdminRole))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new TopicPermissionFailure(this, "Only the admin key manages API keys; send it (Notify:Auth:AdminKey, or the one printed at first start) instead of a scoped key.", hideAsNotFound: false));
        }

        return Task.CompletedTask;
    }
}
