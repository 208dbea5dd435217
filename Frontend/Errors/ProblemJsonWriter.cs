using Microsoft.AspNetCore.Http.Json;

using Microsoft.Extensions.Options;

namespace Notify.Frontend.Errors;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's Accept header says. The
/// framework's writer declines when a client accepts only <c>text/html</c> (a browser following a confirm or
/// unsubscribe link), and the fallback then skips the customisation that gives each problem its title and
/// trace id: the same error would answer in two shapes.
/// </summary>
internal sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Type ??= ProblemTitles.TypeFor(problem.Status.Value);
        var options = jsonOptions.Value.SerializerOptions;
        var typeInfo = options.GetTypeInfo(problem is HttpValidationProblemDetails ? typeof(HttpValidationProblemDetails) : typeof(Microsoft.AspNetCore.Mvc.ProblemDetails));
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(problem, typeInfo, ProblemResponsesContentType));
    }

    private const string ProblemResponsesContentType = "application/problem+json";
}
