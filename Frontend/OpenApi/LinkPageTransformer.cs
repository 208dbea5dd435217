using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Notify.Frontend.Api;

namespace Notify.Frontend.OpenApi;

/// <summary>
/// A confirm or unsubscribe link answers a browser (Accept: text/html) with a page and every other client
/// with JSON: both under 200, and under 404 for a link that is not valid. Declaring the page with
/// Produces would replace the JSON answer, so it is added here beside it.
/// </summary>
internal sealed class LinkPageTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<LinkPage.Marker>().Any())
        {
            return Task.CompletedTask;
        }

        foreach (var status in new[] { "200", "404" })
        {
            if (operation.Responses?.TryGetValue(status, out var answer) == true && answer is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content["text/html"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A page for the person who followed the link." },
                };
            }
        }

        return Task.CompletedTask;
    }
}
