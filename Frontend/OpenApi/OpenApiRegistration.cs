namespace Notify.Frontend.OpenApi;

public static class OpenApiRegistration
{
    /// <summary>The OpenAPI document at <c>/openapi/v1.json</c>, made exact by Notify's transformers.</summary>
    public static IServiceCollection AddNotifyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Notify";
                document.Info.Description = "Topics, subscriptions (webhook, email, SMS) and publishing: a self-hostable notification service. Every error is application/problem+json with a detail that says what to fix.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<SecurityTransformer>();
            options.AddDocumentTransformer((document, _, _) =>
            {
                // Raw-JSON fields (merge patches, filter policies) are described where they are used.
                document.Components?.Schemas?.Remove("JsonElement");

                // Enums are written as strings (JsonStringEnumConverter); say so, for generators that need a type.
                foreach (var schema in document.Components?.Schemas?.Values.OfType<Microsoft.OpenApi.OpenApiSchema>() ?? [])
                {
                    if (schema.Enum is { Count: > 0 } && schema.Type is null)
                    {
                        schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                    }
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer<SecurityTransformer>();
            options.AddOperationTransformer<ParametersTransformer>();
            options.AddOperationTransformer<CommonResponsesTransformer>();
            options.AddOperationTransformer<LinkPageTransformer>();
            options.AddSchemaTransformer<ContractSchemaTransformer>();
        });
}
