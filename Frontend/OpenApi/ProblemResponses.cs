using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Notify.Frontend.OpenApi;

/// <summary>
/// Declares the problem answers an endpoint gives beyond those every call shares (those are added by
/// <see cref="CommonResponsesTransformer"/> and <see cref="ParametersTransformer"/>): each is <c>application/problem+json</c>, a 400 with the
/// per-field <c>errors</c> of a validation problem.
/// </summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(
                status,
                status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails),
                [ContentType]));
        }

        return builder;
    }

    /// <summary>Adds a problem answer to an operation (once), its body a reference to the problem schema.</summary>
    public static async Task AddAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }

        var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ContentType] = new() { Schema = new OpenApiSchemaReference(type.Name, document) },
            },
        };
    }

    /// <summary>A summary (the operation's one line in generated clients) and a description (its documentation).</summary>
    public static TBuilder Documented<TBuilder>(this TBuilder builder, string summary, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithSummary(summary).WithDescription(description);
}
