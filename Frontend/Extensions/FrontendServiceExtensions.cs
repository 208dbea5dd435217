using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Notify.Frontend.Audit;
using Notify.Frontend.Auth;
using Notify.Frontend.Dedup;
using Notify.Frontend.Errors;
using Notify.Frontend.Health;
using Notify.Frontend.Json;
using Notify.Frontend.Publishing;
using Notify.Frontend.Validation;
using Notify.Metadata.Extensions;
using Notify.Sender;
using Notify.Shared.Configuration;
using Notify.Shared.Queue;
using Notify.Shared.Webhooks;

namespace Notify.Frontend.Extensions;

public static class FrontendServiceExtensions
{
    /// <summary>
    /// Everything the Frontend needs: the metadata service and the queue for <c>Notify:Mode</c>,
    /// authentication, dedup, problem answers, health checks, OpenAPI, and the Sender's workers when
    /// <c>Notify:Sender:InProcess</c> (the default in Embedded mode).
    /// </summary>
    public static WebApplicationBuilder AddNotifyFrontend(this WebApplicationBuilder builder)
    {
        builder.AddNotifyMetadata();
        builder.AddNotifyQueue();
        builder.Services.AddNotifyWebhookOptions();

        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddOptions<DedupOptions>().BindConfiguration(DedupOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminKey>();
        services.AddHostedService<AdminKeyStartup>();
        services.AddSingleton<IDedupStore>(sp => new SqliteDedupStore(
            Path.Combine(sp.GetRequiredService<IOptions<NotifyOptions>>().Value.EnsureDataDirectory(), "dedup.db"),
            sp.GetRequiredService<IOptions<DedupOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Publisher>();

        // Every error is application/problem+json; binding failures throw so their cause reaches the detail.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = DescribeStatusCodeOnly);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Limits.DefaultBodyMaxBytes);

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build());

        services.AddHealthChecks()
            .AddCheck<MetadataHealthCheck>("metadata", tags: [HealthApi.ReadyTag])
            .AddCheck<QueueHealthCheck>("queue", tags: [HealthApi.ReadyTag]);
        services.AddOpenApi(o => o.AddDocumentTransformer<Notify.Frontend.OpenApi.BearerSecurityTransformer>());

        var mode = builder.Configuration.GetValue<NotifyMode?>($"{NotifyOptions.SectionName}:{nameof(NotifyOptions.Mode)}") ?? NotifyMode.Embedded;
        if (builder.Configuration.GetValue<bool?>("Notify:Sender:InProcess") ?? mode == NotifyMode.Embedded)
        {
            builder.AddNotifySender();
        }

        return builder;
    }

    /// <summary>The middleware, in order: problems for exceptions and bare status codes, then who is calling.</summary>
    public static WebApplication UseNotifyFrontend(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuditLog();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Problems written for a bare status code (no route, wrong method) get a detail too.</summary>
    private static void DescribeStatusCodeOnly(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status404NotFound => $"Nothing exists at {context.HttpContext.Request.Path}; the API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on {context.HttpContext.Request.Path}; the API is described at /openapi/v1.json.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as JSON with the header Content-Type: application/json.",
            StatusCodes.Status413PayloadTooLarge => $"The request body is too large: a publish may be at most {Limits.PublishBodyMaxBytes / 1024 / 1024} MiB (its message at most 256 KiB), any other call {Limits.DefaultBodyMaxBytes / 1024} KiB.",
            StatusCodes.Status400BadRequest => "The request could not be read; send a JSON body as described at /openapi/v1.json.",
            _ => null,
        };
    }
}
