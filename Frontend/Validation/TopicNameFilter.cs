using Notify.Frontend.Errors;

namespace Notify.Frontend.Validation;

/// <summary>
/// Checks the <c>{name}</c> route value of every endpoint marked with <see cref="ValidatesTopicName"/>
/// against <see cref="TopicNameRule"/> before the endpoint runs, so no handler repeats the check. A
/// middleware rather than an endpoint filter: filters run after the body is bound, and a request with a
/// bad topic name should hear about the name (its path) before anything about its body.
/// </summary>
internal static class TopicNameFilter
{
    public static IApplicationBuilder UseTopicNameCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<Marker>() is not null
                && context.Request.RouteValues.TryGetValue("name", out var name)
                && TopicNameRule.Check(name as string) is { } problem)
            {
                await Problems.Invalid("name", problem).ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    public static RouteGroupBuilder ValidatesTopicName(this RouteGroupBuilder group) =>
        group.WithMetadata(new Marker());

    /// <summary>Marks the endpoints whose <c>{name}</c> is a topic name.</summary>
    private sealed class Marker;
}
