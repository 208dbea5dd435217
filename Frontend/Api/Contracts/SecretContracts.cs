using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Api.Contracts;

/// <summary>A webhook subscription's new signing secret: shown once, in this answer only.</summary>
public sealed record SecretResponse(
    [property: Description("The new signing secret (whsec_ and base64 of 32 random bytes): webhook-signature carries a v1 signature made with it from now on. Shown only here; keep it.")]
    string Secret,
    [property: Description("Until when deliveries are also signed with the previous secret (Notify:Webhooks:SecretOverlap after the rotation); null when there was none (a subscription made before deliveries were signed).")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    DateTimeOffset? PreviousSecretExpiresAt);
