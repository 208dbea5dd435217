using Microsoft.AspNetCore.Http.HttpResults;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;
using Notify.Frontend.OpenApi;
using Notify.Frontend.Validation;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Keys;

/// <summary>Scoped API keys, managed with the admin key alone.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/v1/keys").WithTags("Keys").RequireAuthorization().RequiresAdminKey();
        keys.MapPost("", CreateKey).WithName("CreateKey")
            .Documented(
                "Create a scoped API key",
                "Creates a key that may use the given permissions on the given topics (201, Location: /v1/keys/{id}). The answer holds the key itself, shown only this once: Notify keeps only its SHA-256. " +
                "Only the admin key manages keys.");
        keys.MapGet("", ListKeys).WithName("ListKeys")
            .Documented("List API keys", "Scoped keys in creation order, a page at a time, without the keys themselves: pass nextCursor back as cursor for the next page.");
        keys.MapGet("/{id}", GetKey).WithName("GetKey").ProducesProblems(StatusCodes.Status404NotFound)
            .Documented("Get an API key", "The key's name, permissions, topics, expiry and rate limit; never the key itself.");
        keys.MapDelete("/{id}", DeleteKey).WithName("DeleteKey").ProducesProblems(StatusCodes.Status404NotFound)
            .Documented(
                "Delete an API key",
                $"Deletes the key: this Frontend refuses it (401) from the next request on, other Frontends of the installation within {ApiKeyLookup.Lifetime.TotalSeconds:0} s.");
        return app;
    }

    internal static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem>> CreateKey(
        JsonBody<CreateKeyRequest> body, IApiKeyStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var request = body.Value;
        var now = clock.GetUtcNow();
        if (ApiKeyRule.Check(request, now) is { } errors)
        {
            return Problems.Invalid(errors);
        }

        var secret = KeySecrets.NewKey();
        var key = new ApiKey
        {
            Id = KeySecrets.NewId(clock),
            Name = request.Name,
            KeyHash = KeySecrets.HashOf(secret),
            Permissions = request.Permissions.Distinct().ToList(),
            Topics = request.Topics.Distinct(StringComparer.Ordinal).ToList(),
            RateLimit = request.RateLimit?.ToStored(),
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt,
        };
        await store.CreateAsync(key, cancellationToken);
        return TypedResults.Created($"/v1/keys/{key.Id}", CreatedKeyResponse.From(key, secret));
    }

    internal static async Task<Ok<ListResponse<KeyResponse>>> ListKeys(
        IApiKeyStore store, CancellationToken cancellationToken, string? limit = null, string? cursor = null)
    {
        var page = await store.ListAsync(Paging.Limit(limit), cursor, cancellationToken);
        return TypedResults.Ok(new ListResponse<KeyResponse>(page.Items.Select(KeyResponse.From).ToList(), page.NextCursor));
    }

    internal static async Task<Results<Ok<KeyResponse>, ProblemHttpResult>> GetKey(string id, IApiKeyStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } key ? TypedResults.Ok(KeyResponse.From(key)) : KeyNotFound(id);

    /// <summary>204 once the key is deleted and forgotten by this Frontend's lookup, so its next use here is refused.</summary>
    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteKey(
        string id, IApiKeyStore store, ApiKeyLookup lookup, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } key || !await store.DeleteAsync(id, cancellationToken))
        {
            return KeyNotFound(id);
        }

        lookup.Forget(key.KeyHash);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult KeyNotFound(string id) => Problems.NotFound($"There is no API key '{id}'; GET /v1/keys lists them.");
}
