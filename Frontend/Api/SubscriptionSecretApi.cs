using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Keys;
using Notify.Frontend.OpenApi;
using Notify.Metadata.Keys;
using Notify.Metadata.Model;
using Notify.Metadata.Store;
using Notify.Shared.Webhooks;

namespace Notify.Frontend.Api;

/// <summary>The signing secret of a webhook subscription (Standard Webhooks): rotated here, never read back.</summary>
public static class SubscriptionSecretApi
{
    public static IEndpointRouteBuilder MapSubscriptionSecretApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1/subscriptions/{id}/secret").WithTags("Subscriptions").RequireAuthorization()
            .MapPost("/rotate", Rotate).WithName("RotateSubscriptionSecret").RequiresPermission(ApiKeyPermission.Subscribe, TopicSource.Subscription)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict)
            .Documented(
                "Rotate a webhook subscription's signing secret",
                "Makes a new signing secret and answers it (200; the only time it is shown). Deliveries are signed with both the new and the previous secret " +
                "(two v1 entries in webhook-signature) until previousSecretExpiresAt (Notify:Webhooks:SecretOverlap, 24 hours by default), then with the new one only. " +
                "A webhook subscription made before deliveries were signed gets its first secret. 409 for an email or SMS subscription: only webhooks are signed.");
        return app;
    }

    internal static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> Rotate(
        string id, IMetadataStore store, IOptions<WebhookOptions> webhooks, TimeProvider clock, CancellationToken cancellationToken)
    {
        var subscription = await store.GetSubscriptionAsync(id, cancellationToken);
        if (subscription is null)
        {
            return Problems.SubscriptionNotFound(id);
        }

        if (subscription.Protocol != Protocol.Webhook)
        {
            return Problems.Status(StatusCodes.Status409Conflict,
                $"Subscription '{id}' is an {subscription.Protocol.ApiName()} subscription; only webhook subscriptions have a signing secret to rotate.");
        }

        var secrets = SigningSecrets.Rotate(subscription.SigningSecrets, WebhookSecret.New(), clock.GetUtcNow(), webhooks.Value.SecretOverlap);
        var updated = await store.SetSigningSecretsAsync(id, secrets, cancellationToken);
        return updated is null
            ? Problems.SubscriptionNotFound(id)
            : TypedResults.Ok(new SecretResponse(secrets.Current, secrets.Previous is null ? null : secrets.PreviousExpiresAt));
    }
}
