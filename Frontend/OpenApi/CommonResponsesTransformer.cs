using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Notify.Frontend.OpenApi;

/// <summary>
/// Adds the answers every call of a kind can give, so no endpoint forgets one: 401, 403 and 429 where a key is needed,
/// 400 and 415 where there is a body, 503 (with Retry-After) everywhere, since every call reads the store;
/// and gives each answer a description and its headers (Location, Retry-After, WWW-Authenticate).
/// </summary>
internal sealed class CommonResponsesTransformer : IOpenApiOperationTransformer
{
    private static readonly Dictionary<int, string> Descriptions = new()
    {
        [200] = "OK.",
        [201] = "Created; Location names the new resource.",
        [202] = "Accepted: stored durably, delivered after.",
        [204] = "Done; no content.",
        [400] = "The request is not valid; errors names each field (by its JSON path) with what to fix.",
        [401] = "No API key, or not a valid one.",
        [403] = "Refused: the API key lacks the permission this call needs on its topic (detail names both), or the credential a link or Twilio's webhook carries does not match.",
        [404] = "It does not exist.",
        [409] = "In conflict with the current state; detail says what to do (retry after Retry-After where given).",
        [413] = "Too large: the message, subject and attributes together exceed 256 KiB of UTF-8.",
        [415] = "The body's Content-Type is not the one this call takes (see its request body).",
        [429] = "Over the API key's rate limit (Notify:RateLimit or the key's own); retry after Retry-After seconds.",
        [503] = "A dependency (queue or store) is unavailable; retry after Retry-After seconds.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= [];
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAcceptsMetadata>().Any(accepts => accepts.ContentTypes.Contains("application/json")))
        {
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status400BadRequest, cancellationToken);
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status415UnsupportedMediaType, cancellationToken);
        }

        if (SecurityTransformer.RequiresKey(context))
        {
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status401Unauthorized, cancellationToken);
            ((OpenApiResponse)operation.Responses["401"]).Headers = Header("WWW-Authenticate", "Bearer, with error=\"invalid_token\" when a key was sent.");
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status429TooManyRequests, cancellationToken);
            await ProblemResponses.AddAsync(operation, context, StatusCodes.Status403Forbidden, cancellationToken);
        }

        await ProblemResponses.AddAsync(operation, context, StatusCodes.Status503ServiceUnavailable, cancellationToken);
        foreach (var (code, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete || !int.TryParse(code, out var status))
            {
                continue;
            }

            concrete.Description = Descriptions.GetValueOrDefault(status) ?? ReasonPhrases.GetReasonPhrase(status);
            if (status is 503 or 409 or 429)
            {
                concrete.Headers = Header("Retry-After", "Seconds to wait before retrying.", JsonSchemaType.Integer);
            }
            else if (status == 201)
            {
                concrete.Headers = Header("Location", "The new resource's path.");
            }
        }
    }

    private static Dictionary<string, IOpenApiHeader> Header(string name, string description, JsonSchemaType type = JsonSchemaType.String) => new()
    {
        [name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } },
    };
}
