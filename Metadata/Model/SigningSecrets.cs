namespace Notify.Metadata.Model;

/// <summary>
/// The secrets a webhook subscription's deliveries are signed with (Standard Webhooks, <c>whsec_…</c>):
/// the current one and, after a rotation, the one before it until <see cref="PreviousExpiresAt"/>, so that
/// a receiver has time to change its secret while every delivery still verifies with the old one.
/// </summary>
/// <remarks>The stores keep these apart from the subscription's other fields (a column, an attribute of their own), so that they can be left out of tombstones and sealed on their own.</remarks>
public sealed record SigningSecrets(string Current, string? Previous = null, DateTimeOffset? PreviousExpiresAt = null)
{
    /// <summary>The secrets to sign with at <paramref name="now"/>: the current one first, then the previous one while it lasts.</summary>
    public IReadOnlyList<string> ActiveAt(DateTimeOffset now) =>
        Previous is { } previous && PreviousExpiresAt is { } expiresAt && now < expiresAt ? [Current, previous] : [Current];

    /// <summary>
    /// <paramref name="next"/> as the current secret, the current one kept for <paramref name="overlap"/>. A
    /// subscription without secrets (made before deliveries were signed) simply gets its first one; a
    /// rotation during an overlap ends the older previous secret at once (two secrets at most).
    /// </summary>
    public static SigningSecrets Rotate(SigningSecrets? secrets, string next, DateTimeOffset now, TimeSpan overlap) =>
        secrets is null ? new SigningSecrets(next) : new SigningSecrets(next, secrets.Current, now + overlap);

    /// <summary>Never the secrets themselves: a subscription written to a log must not leak them.</summary>
    public override string ToString() =>
        $"SigningSecrets {{ {(Previous is null ? 1 : 2)} secret(s), previous expires {PreviousExpiresAt?.ToString("O") ?? "never"} }}";
}
