using Microsoft.AspNetCore.Authorization;
using Notify.Metadata.Keys;
using Notify.Metadata.Store;

namespace Notify.Frontend.Keys;

/// <summary>
/// Decides <see cref="TopicPermissionRequirement"/>: the admin key passes everywhere; a scoped key passes when
/// it holds the permission (or one including it) on the endpoint's topic. The resource is the request
/// (<see cref="HttpContext"/>) when the authorization middleware asks, or a topic name when a handler asks
/// about the topic named in its body.
/// </summary>
internal sealed class TopicPermissionHandler(IMetadataStore store) : AuthorizationHandler<TopicPermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TopicPermissionRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            // No key: the policy's authenticated-user requirement answers 401.
            return;
        }

        var scope = TopicScope.Of(context.User);
        if (scope.IsAdmin)
        {
            context.Succeed(requirement);
            return;
        }

        if (context.Resource is string topic)
        {
            Decide(context, requirement, scope, topic, hideAsNotFound: false);
            return;
        }

        var http = context.Resource as HttpContext;
        switch (requirement.Source)
        {
            case TopicSource.Route when http?.GetRouteValue("name") is string name:
                Decide(context, requirement, scope, name, hideAsNotFound: false);
                return;

            case TopicSource.Subscription when http?.GetRouteValue("id") is string id:
                var subscription = await store.GetSubscriptionAsync(id, http.RequestAborted);
                if (subscription is null)
                {
                    // The endpoint answers 404 for an unknown id, to every key alike.
                    context.Succeed(requirement);
                    return;
                }

                Decide(context, requirement, scope, subscription.Topic, hideAsNotFound: !scope.Covers(subscription.Topic));
                return;

            case TopicSource.Body or TopicSource.Listing when scope.Has(requirement.Permission):
                context.Succeed(requirement);
                return;

            default:
                context.Fail(new TopicPermissionFailure(this, $"This call needs the {Needed(requirement.Permission)} permission, which this API key does not have on any topic; use a key that has it (the admin key makes one with POST /v1/keys).", hideAsNotFound: false));
                return;
        }
    }

    private static string Needed(ApiKeyPermission permission) =>
        string.Join(" or ", KeyPermissions.Granting(permission).Select(p => $"'{ApiKeyPermissionNames.Of(p)}'"));

    private void Decide(AuthorizationHandlerContext context, TopicPermissionRequirement requirement, TopicScope scope, string topic, bool hideAsNotFound)
    {
        if (scope.Allows(requirement.Permission, topic))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new TopicPermissionFailure(
            this,
            $"This call needs the {Needed(requirement.Permission)} permission on topic '{topic}', which this API key does not have; use a key whose permissions include it and whose topics cover '{topic}' (the admin key makes one with POST /v1/keys).",
            hideAsNotFound));
    }
}
