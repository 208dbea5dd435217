using Microsoft.OpenApi;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Keys;
using Notify.Frontend.Validation;

namespace Notify.Frontend.OpenApi;

/// <summary>What attributes cannot say of a new key: the form of each topic pattern, and an example.</summary>
internal static class KeySchemas
{
    public static void Describe(OpenApiSchema schema, Type type)
    {
        if (type == typeof(CreateKeyRequest) && schema.Properties!.TryGetValue("topics", out var topics) && topics is OpenApiSchema list)
        {
            list.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = Limits.TopicNameMaxLength + 1,
                Pattern = ApiKeyRule.TopicPattern,
            };
            schema.Examples = [new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "ci",
                ["permissions"] = new System.Text.Json.Nodes.JsonArray("publish"),
                ["topics"] = new System.Text.Json.Nodes.JsonArray("orders", "billing-*"),
            }];
        }
    }
}
