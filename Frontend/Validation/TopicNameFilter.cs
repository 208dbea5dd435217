using Notify.Frontend.Errors;

namespace Notify.Frontend.Validation;

/// <summary>
/// Checks the <c>{name}</c> route value of every endpoint in a group against <see cref="TopicNameRule"/>
/// before its handler runs, so no handler repeats the check.
/// </summary>
internal sealed class TopicNameFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.Request.RouteValues.TryGetValue("name", out var name)
            && TopicNameRule.Check(name as string) is { } problem)
        {
            return ValueTask.FromResult<object?>(Problems.Invalid("name", problem));
        }

        return next(context);
    }
}

internal static class TopicNameFilterExtensions
{
    public static RouteGroupBuilder ValidatesTopicName(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<TopicNameFilter>().ProducesValidationProblem();
        return group;
    }
}
