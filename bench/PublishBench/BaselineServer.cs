using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Notify.Bench.Publish;

/// <summary>
/// The baseline: a bare Kestrel app with one POST endpoint that binds a JSON body and answers 202 with a
/// small JSON, as publish does, but stores nothing. It runs in a child process started from this
/// program (<c>dotnet PublishBench.dll --serve-baseline</c>), like the Frontend, with the same settings.
/// </summary>
internal static class BaselineServer
{
    public const string Argument = "--serve-baseline";
    public const string Path = "/publish";

    public static async Task RunAsync()
    {
        // Same builder as the Frontend; the URL, environment and log level come from the environment.
        var builder = WebApplication.CreateBuilder();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJsonContext.Default));
        var app = builder.Build();
        app.MapGet("/healthz", () => TypedResults.Ok());
        app.MapPost(Path, Results<Accepted<BaselineResponse>, BadRequest> (BaselineRequest request) =>
            string.IsNullOrEmpty(request.Message)
                ? TypedResults.BadRequest()
                : TypedResults.Accepted((string?)null, new BaselineResponse(Guid.NewGuid().ToString("N"), Duplicate: false)));
        await app.RunAsync();
    }
}

internal sealed record BaselineRequest(string? Message);

internal sealed record BaselineResponse(string MessageId, bool Duplicate);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BaselineRequest))]
[JsonSerializable(typeof(BaselineResponse))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
