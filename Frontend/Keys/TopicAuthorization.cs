using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Auth;
using Notify.Frontend.Errors;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>
/// Endpoint metadata naming the permission each call needs, and the check of a topic a handler only learns from
/// the body. The policies are decided by <see cref="TopicPermissionHandler"/> and <see cref="AdminKeyRequirement"/>.
/// </summary>
internal static class TopicAuthorization
{
    /// <summary>The endpoint needs <paramref name="permission"/> on the topic at <paramref name="source"/> (the admin key has every permission).</summary>
    public static TBuilder RequiresPermission<TBuilder>(this TBuilder builder, ApiKeyPermission permission, TopicSource source)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(KeyPolicy().AddRequirements(new TopicPermissionRequirement(permission, source)).Build());

    /// <summary>The endpoint is for the admin key only.</summary>
    public static TBuilder RequiresAdminKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(KeyPolicy().AddRequirements(new AdminKeyRequirement()).Build());

    /// <summary>
    /// Each policy requires an authenticated key itself rather than rely on the group's default policy: with an
    /// endpoint policy alone, a request without a key for an unknown subscription id was answered the endpoint's
    /// 404 rather than 401 (the permission handler lets unknown ids through to their 404).
    /// </summary>
    private static AuthorizationPolicyBuilder KeyPolicy() =>
        new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser();

    /// <summary>
    /// Null when <paramref name="user"/> may use <paramref name="permission"/> on <paramref name="topic"/>; else the
    /// 403 problem to answer. For a topic named in the body, which the authorization middleware cannot see.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(this IAuthorizationService authorization, ClaimsPrincipal user, string topic, ApiKeyPermission permission)
    {
        var result = await authorization.AuthorizeAsync(user, topic, new TopicPermissionRequirement(permission, TopicSource.Body));
        return result.Succeeded
            ? null
            : Problems.Status(StatusCodes.Status403Forbidden, result.Failure?.FailureReasons.FirstOrDefault()?.Message ?? "This API key may not make this call.");
    }

    /// <summary>The topics <paramref name="user"/> may list: all for the admin key, those its patterns cover for a scoped key.</summary>
    public static Func<string, bool> ListableTopics(ClaimsPrincipal user) => TopicScope.Of(user).Covers;
}
