using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Notify.Frontend.Api;
using Notify.Frontend.Validation;

namespace Notify.Frontend.OpenApi;

/// <summary>
/// States the rules of the parameters as the API checks them. Some are bound as plain text on purpose
/// (a wrong <c>limit</c> is answered by the API, not by the framework's binder), so the generator alone
/// would call them strings with no constraints.
/// </summary>
internal sealed class ParametersTransformer : IOpenApiOperationTransformer
{
    private static OpenApiSchema TopicName() =>
        new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = Limits.TopicNameMaxLength, Pattern = TopicNameRule.Pattern };

    private static OpenApiSchema Enum(IReadOnlyList<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList() };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name is not ("id" or "messageId"))
            {
                // Every other parameter has rules, and a request that breaks one is answered 400.
                await ProblemResponses.AddAsync(operation, context, StatusCodes.Status400BadRequest, cancellationToken);
            }

            switch (parameter.In, parameter.Name)
            {
                case (ParameterLocation.Query, "limit"):
                    parameter.Description = $"Items per page, 1 to {Limits.MaxPageSize}.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Minimum = "1",
                        Maximum = Limits.MaxPageSize.ToString(CultureInfo.InvariantCulture),
                        Default = JsonValue.Create(Limits.DefaultPageSize),
                    };
                    break;
                case (ParameterLocation.Query, "cursor"):
                    parameter.Description = "The nextCursor of the previous page, as it was given.";
                    break;
                case (ParameterLocation.Query, "token"):
                    parameter.Required = true;
                    parameter.Description = "The token in the link, exactly as it was sent.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
                    break;
                case (ParameterLocation.Path, "name"):
                    parameter.Description = "The topic's name.";
                    parameter.Schema = TopicName();
                    break;
                case (ParameterLocation.Query, "topic"):
                    parameter.Description = "Only this topic's subscriptions.";
                    parameter.Schema = TopicName();
                    break;
                case (ParameterLocation.Query, "protocol"):
                    parameter.Description = "Only subscriptions of this protocol.";
                    parameter.Schema = Enum(SubscriptionListFilter.Protocols);
                    break;
                case (ParameterLocation.Query, "status"):
                    parameter.Description = "Only subscriptions in this status.";
                    parameter.Schema = Enum(SubscriptionListFilter.Statuses);
                    break;
                case (ParameterLocation.Path, "id"):
                    parameter.Description = "The subscription's id.";
                    break;
                case (ParameterLocation.Path, "messageId"):
                    parameter.Description = "The message's id, as publish answered it.";
                    break;
                case (ParameterLocation.Query, "from"):
                    parameter.Description = "Only messages published at or after this time (RFC 3339, with its offset).";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                    break;
                case (ParameterLocation.Query, "to"):
                    parameter.Description = "Only messages published before this time (RFC 3339, with its offset); after from.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                    break;
                case (ParameterLocation.Header, ApiHeaders.IdempotencyKey):
                    parameter.Description = "A dedup id (as the body's dedupId): a repeat within the dedup window is answered with the first messageId and not delivered again.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        MinLength = 1,
                        MaxLength = Limits.DedupIdMaxLength,
                        Pattern = PublishRule.DedupIdPattern,
                    };
                    break;
            }
        }
    }
}
