using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Validation;

namespace Notify.Frontend.OpenApi;

/// <summary>
/// Makes the schemas say what the API does. Which fields are required: a request field when it carries
/// [JsonRequired], a response field when it is always written (the generator would otherwise require every
/// constructor parameter of a record, optional ones included). And what attributes cannot express: the
/// bounds of <c>attributes</c>, the fixed keys of <c>messages</c>, "message or messages.default, not both",
/// the trace id of every problem, and examples.
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The redrive fields that select by publish time, which messageIds does not go with.</summary>
    private static readonly string[] RedriveWindowFields = ["from", "to", "cursor"];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is not null || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        SetRequired(schema, context, isRequest: type.Name.EndsWith("Request", StringComparison.Ordinal));
        KeySchemas.Describe(schema, type);
        if (type == typeof(PublishRequest))
        {
            DescribePublish(schema);
        }
        else if (type == typeof(CreateTopicRequest))
        {
            Replace(schema, RetentionRule.Field, RetentionSchema());
            schema.Examples = [new JsonObject { ["name"] = "orders" }, new JsonObject { ["name"] = "orders", ["retention"] = "P7D" }];
        }
        else if (type == typeof(SubscribeRequest))
        {
            schema.Examples = [new JsonObject { ["protocol"] = "webhook", ["endpoint"] = "https://example.com/hooks/orders" }];
        }
        else if (type == typeof(RedriveRequest))
        {
            DescribeRedrive(schema);
        }
        else if (type == typeof(UpdateTopicRequest))
        {
            Replace(schema, "displayName", new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                MinLength = 1,
                MaxLength = SettingsRule.DisplayNameMaxLength,
                Pattern = PublishRule.SubjectPattern,
            });
            Replace(schema, RetentionRule.Field, RetentionSchema());
            schema.Examples = [new JsonObject { ["displayName"] = "Order updates" }, new JsonObject { ["retention"] = "P7D" }];
        }

        if (schema.Properties.ContainsKey("filterPolicy"))
        {
            // A request may remove it with null (in a patch) or leave it out; an answer leaves it out.
            var policy = FilterPolicySchema();
            if (type == typeof(UpdateSubscriptionRequest))
            {
                policy.Type |= JsonSchemaType.Null;
                schema.Examples = [new JsonObject { ["filterPolicy"] = new JsonObject { ["region"] = new JsonArray("eu", "us") } }];
            }

            Replace(schema, "filterPolicy", policy);
        }

        if (schema.Properties.ContainsKey("deliveryPolicy"))
        {
            // Null: none (answers), or remove it (requests); a request's limits are the API's own.
            Replace(schema, "deliveryPolicy", DeliveryPolicySchema(withLimits: type != typeof(SubscriptionResponse)));
            if (type == typeof(UpdateSubscriptionRequest))
            {
                schema.Examples = [new JsonObject
                {
                    ["filterPolicy"] = new JsonObject { ["region"] = new JsonArray("eu", "us") },
                    ["deliveryPolicy"] = new JsonObject { ["maxPerSecond"] = 5 },
                }];
            }
        }

        if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
        {
            // Every problem Notify writes has these (ProblemTitles, and a detail from every writer).
            schema.Required = new HashSet<string>(["type", "title", "status", "detail", "traceId", .. type == typeof(HttpValidationProblemDetails) ? ["errors"] : Array.Empty<string>()]);
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when asking about this answer: it finds the request in the service's logs." };
        }

        return Task.CompletedTask;
    }

    private static void SetRequired(OpenApiSchema schema, OpenApiSchemaTransformerContext context, bool isRequest)
    {
        schema.Required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in context.JsonTypeInfo.Properties.Where(p => !p.IsExtensionData))
        {
            var required = isRequest ? property.IsRequired : !IsNullable(property) || IsAlwaysWritten(property);
            if (!required)
            {
                continue;
            }

            schema.Required.Add(property.Name);
            if (isRequest && schema.Properties!.TryGetValue(property.Name, out var propertySchema))
            {
                // A required request field may not be null either: the API refuses null as it refuses absence.
                schema.Properties[property.Name] = WithoutNull(propertySchema);
            }
        }
    }

    /// <summary>
    /// A filter policy as far as a schema can say: an object of at most 5 attribute names, each with a
    /// non-empty array of conditions. Its grammar and its 150-combination limit are the service's to check.
    /// </summary>
    private static OpenApiSchema FilterPolicySchema() => new()
    {
        Type = JsonSchemaType.Object,
        MaxProperties = 5,
        AdditionalProperties = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            MinItems = 1,
            Items = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Object },
        },
        Examples = [new JsonObject { ["region"] = new JsonArray("eu", "us"), ["amount"] = new JsonArray(new JsonObject { ["numeric"] = new JsonArray(">", 100) }) }],
    };

    /// <summary>
    /// A delivery policy: its two optional members, each nullable (in a merge patch null returns a member to
    /// the protocol's default), with the limits <see cref="DeliveryPolicyRule"/> checks when in a request.
    /// </summary>
    private static OpenApiSchema DeliveryPolicySchema(bool withLimits)
    {
        var retrySeconds = new OpenApiSchema
        {
            Type = JsonSchemaType.Array | JsonSchemaType.Null,
            Description = "The waits in seconds before each retry after the first attempt, in order (empty: no retry); null or absent for the protocol's schedule.",
            Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
        };
        var maxPerSecond = new OpenApiSchema
        {
            Type = JsonSchemaType.Number | JsonSchemaType.Null,
            Format = "double",
            Description = "The most deliveries per second to this subscription; deliveries over it wait their turn and are never dropped. Null or absent for no limit of its own.",
        };
        if (withLimits)
        {
            retrySeconds.MaxItems = Metadata.Deliveries.RetrySchedule.MaxRetries;
            var wait = (OpenApiSchema)retrySeconds.Items;
            wait.Minimum = "0";
            wait.Maximum = Metadata.Deliveries.RetrySchedule.MaxWaitSeconds.ToString(CultureInfo.InvariantCulture);
            maxPerSecond.Minimum = Metadata.Model.DeliveryPolicy.MinRate.ToString(CultureInfo.InvariantCulture);
            maxPerSecond.Maximum = Metadata.Model.DeliveryPolicy.MaxRate.ToString(CultureInfo.InvariantCulture);
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                [DeliveryPolicyRule.RetrySecondsField] = retrySeconds,
                [DeliveryPolicyRule.MaxPerSecondField] = maxPerSecond,
            },
            AdditionalPropertiesAllowed = false,
            Examples = [new JsonObject { ["retrySeconds"] = new JsonArray(5, 60, 300), ["maxPerSecond"] = 10 }],
        };
    }

    /// <summary>
    /// A retention in a request: an ISO 8601 duration by <see cref="RetentionRule.Pattern"/>, or null for none. Its
    /// range (PT1S to P30D) is the service's to check.
    /// </summary>
    private static OpenApiSchema RetentionSchema() => new()
    {
        Type = JsonSchemaType.String | JsonSchemaType.Null,
        Pattern = RetentionRule.Pattern,
        Examples = ["P7D", "PT1H"],
    };

    /// <summary>Puts <paramref name="replacement"/> in place of a property's schema, keeping its description.</summary>
    private static void Replace(OpenApiSchema schema, string property, OpenApiSchema replacement)
    {
        replacement.Description = schema.Properties![property].Description;
        schema.Properties[property] = replacement;
    }

    private static bool IsNullable(JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || (!property.PropertyType.IsValueType && property.IsGetNullable);

    /// <summary>Written even when null (<c>nextCursor</c> on the last page): present, so required, and nullable.</summary>
    private static bool IsAlwaysWritten(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true)
            .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.Never) == true;

    private static IOpenApiSchema WithoutNull(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return schema;
        }

        if (concrete.OneOf is { Count: 2 } oneOf && oneOf.Any(s => s.Type == JsonSchemaType.Null))
        {
            var other = oneOf.First(s => s.Type != JsonSchemaType.Null);
            if (other is OpenApiSchemaReference reference)
            {
                reference.Description = concrete.Description ?? reference.Description;
            }

            return other;
        }

        if (concrete.Type is { } type)
        {
            concrete.Type = type & ~JsonSchemaType.Null;
        }

        return concrete;
    }

    /// <summary>
    /// All, some by id, or a window on publish time: ids go alone. Null is not documented for any field
    /// (leave a field out instead), and a cursor is never empty.
    /// </summary>
    private static void DescribeRedrive(OpenApiSchema schema)
    {
        foreach (var name in schema.Properties!.Keys.ToList())
        {
            schema.Properties[name] = WithoutNull(schema.Properties[name]);
        }

        if (schema.Properties["messageIds"] is OpenApiSchema ids)
        {
            ids.MinItems = 1;
            ids.MaxItems = RedriveLimits.MaxMessageIds;
            ids.Items = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
        }

        if (schema.Properties["cursor"] is OpenApiSchema cursor)
        {
            cursor.MinLength = 1;
        }

        schema.Not = new OpenApiSchema
        {
            AnyOf = RedriveWindowFields.Select(IOpenApiSchema (other) => new OpenApiSchema { Required = new HashSet<string> { "messageIds", other } }).ToList(),
        };
        schema.Description = "Which dead letters to deliver again: {} for all, messageIds for some, from and to for those published in [from, to). messageIds goes without from, to and cursor.";
        schema.Examples =
        [
            new JsonObject(),
            new JsonObject { ["messageIds"] = new JsonArray("0190f5c3b7a27d1e9c4b2a7f3e1d0c9b") },
            new JsonObject { ["from"] = "2026-12-01T00:00:00Z", ["to"] = "2026-12-02T00:00:00Z" },
        ];
    }

    private static void DescribePublish(OpenApiSchema schema)
    {
        if (schema.Properties!.TryGetValue("attributes", out var attributes) && attributes is OpenApiSchema attributesSchema)
        {
            attributesSchema.MaxProperties = Limits.MaxAttributes;
            attributesSchema.PropertyNames = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = Limits.AttributeNameMaxLength,
                Pattern = PublishRule.SubjectPattern,
            };
            attributesSchema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        var body = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
        schema.Properties["messages"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A body per protocol, as SNS's MessageStructure=json; a protocol without its own gets default (or message).",
            Properties = PublishRule.MessagesKeys.ToDictionary(key => key, IOpenApiSchema (_) => body),
            AdditionalPropertiesAllowed = false,
        };

        // "message, or messages with a default body; not both".
        var messagesWithDefault = new OpenApiSchema
        {
            Required = new HashSet<string> { "messages" },
            Properties = new Dictionary<string, IOpenApiSchema> { ["messages"] = new OpenApiSchema { Required = new HashSet<string> { PublishRule.DefaultKey } } },
        };
        schema.AnyOf = [new OpenApiSchema { Required = new HashSet<string> { "message" } }, messagesWithDefault];
        schema.Not = new OpenApiSchema
        {
            Required = new HashSet<string> { "message", "messages" },
            Properties = messagesWithDefault.Properties,
        };
        schema.Description = string.Create(CultureInfo.InvariantCulture,
            $"A message: message (or messages.default) is required. The message, subject, attributes and every messages body together may take at most {Limits.MessageMaxBytes} bytes of UTF-8 (413 beyond).");
        schema.Examples = [new JsonObject
        {
            ["message"] = "order 42 shipped",
            ["subject"] = "Shipped",
            ["attributes"] = new JsonObject { ["region"] = "eu" },
            ["dedupId"] = "order-42-shipped",
        }];
    }
}
