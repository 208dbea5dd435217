using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Notify.Frontend.Keys;
using Notify.Metadata.Keys;

namespace Notify.Frontend.Api.Contracts;

public sealed record CreateKeyRequest(
    [property: JsonRequired]
    [property: Description("A name for people, such as the client that uses the key: 1 to 100 characters without control characters.")]
    [property: StringLength(ApiKeyRule.NameMaxLength, MinimumLength = 1)]
    string Name,
    [property: JsonRequired]
    [property: Description("What the key may do on its topics: publish (POST messages), subscribe (create, change, enable and delete subscriptions), manage (create, change and delete topics; stats, dead letters, redrive, replay; includes read), read (every GET).")]
    [property: MinLength(1)]
    IReadOnlyList<ApiKeyPermission> Permissions,
    [property: JsonRequired]
    [property: Description("The topics it may act on: names, prefixes ending in '*' such as 'billing-*', or '*' for every topic.")]
    [property: MinLength(1)]
    [property: MaxLength(ApiKeyRule.MaxTopics)]
    IReadOnlyList<string> Topics,
    [property: Description("When the key stops working (RFC 3339, in the future); it never expires when absent.")]
    DateTimeOffset? ExpiresAt = null,
    [property: Description("The rates the key is throttled to; the server's defaults when absent.")]
    KeyRateLimit? RateLimit = null);

/// <summary>Each rate is per second, each burst a number of requests; a field left out takes the server's default.</summary>
public sealed record KeyRateLimit(
    [property: Description("Publishes a second, 0.01 to 1,000,000.")] [property: Range(ApiKeyRule.MinRate, ApiKeyRule.MaxRate)] double? PublishPerSecond = null,
    [property: Description("Publishes allowed at once above the rate.")] [property: Range(1, int.MaxValue)] int? PublishBurst = null,
    [property: Description("Requests of any kind a second, 0.01 to 1,000,000.")] [property: Range(ApiKeyRule.MinRate, ApiKeyRule.MaxRate)] double? RequestsPerSecond = null,
    [property: Description("Requests allowed at once above the rate.")] [property: Range(1, int.MaxValue)] int? RequestsBurst = null)
{
    public static KeyRateLimit? From(ApiKeyRateLimit? rate) =>
        rate is null ? null : new(rate.PublishPerSecond, rate.PublishBurst, rate.RequestsPerSecond, rate.RequestsBurst);

    public ApiKeyRateLimit ToStored() => new(PublishPerSecond, PublishBurst, RequestsPerSecond, RequestsBurst);
}

/// <summary>A key as listed: never the key itself, which only the answer to its creation shows.</summary>
public sealed record KeyResponse(
    [property: Description("The key's id; its URL is /v1/keys/{id}. Audit lines name the caller by it.")] string Id,
    [property: Description("The key's name.")] string Name,
    [property: Description("What the key may do on its topics.")] IReadOnlyList<ApiKeyPermission> Permissions,
    [property: Description("The topic names and prefixes ('billing-*', '*') it may act on.")] IReadOnlyList<string> Topics,
    [property: Description("When it was created.")] DateTimeOffset CreatedAt,
    [property: Description("When it stops working; null when it does not expire.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    DateTimeOffset? ExpiresAt,
    [property: Description("The rates it is throttled to; null for the server's defaults.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    KeyRateLimit? RateLimit)
{
    public static KeyResponse From(ApiKey key) =>
        new(key.Id, key.Name, key.Permissions, key.Topics, key.CreatedAt, key.ExpiresAt, KeyRateLimit.From(key.RateLimit));
}

/// <summary>The answer to a new key: the key itself, shown this once (only its hash is kept).</summary>
public sealed record CreatedKeyResponse(
    [property: Description("The key's id; its URL is /v1/keys/{id}.")] string Id,
    [property: Description("The key to send as 'Authorization: Bearer <key>'. Shown only in this answer: Notify keeps only its SHA-256.")] string Key,
    [property: Description("The key's name.")] string Name,
    [property: Description("What the key may do on its topics.")] IReadOnlyList<ApiKeyPermission> Permissions,
    [property: Description("The topic names and prefixes it may act on.")] IReadOnlyList<string> Topics,
    [property: Description("When it was created.")] DateTimeOffset CreatedAt,
    [property: Description("When it stops working; null when it does not expire.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    DateTimeOffset? ExpiresAt,
    [property: Description("The rates it is throttled to; null for the server's defaults.")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    KeyRateLimit? RateLimit)
{
    public static CreatedKeyResponse From(ApiKey key, string secret) =>
        new(key.Id, secret, key.Name, key.Permissions, key.Topics, key.CreatedAt, key.ExpiresAt, KeyRateLimit.From(key.RateLimit));
}
