using Microsoft.AspNetCore.Authorization;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>The endpoint needs <see cref="Permission"/> on the topic found at <see cref="Source"/>.</summary>
internal sealed record TopicPermissionRequirement(ApiKeyPermission Permission, TopicSource Source) : IAuthorizationRequirement;

/// <summary>Why a request was refused, for the problem answered (<see cref="KeyAuthorizationResults"/>).</summary>
internal sealed class TopicPermissionFailure(IAuthorizationHandler handler, string detail, bool hideAsNotFound)
    : AuthorizationFailureReason(handler, detail)
{
    /// <summary>
    /// The subscription's topic is not one the key covers: answered 404 like an unknown id, so a key cannot
    /// learn which subscription ids exist on other topics.
    /// </summary>
    public bool HideAsNotFound { get; } = hideAsNotFound;
}
