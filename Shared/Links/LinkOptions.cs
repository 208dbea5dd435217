using System.ComponentModel.DataAnnotations;

namespace Notify.Shared.Links;

/// <summary>The confirm and unsubscribe links' tokens (section <c>Notify:Links</c>).</summary>
public sealed class LinkOptions : IValidatableObject
{
    public const string SectionName = "Notify:Links";

    /// <summary>How many random bytes the key holds.</summary>
    public const int KeyBytes = 32;

    /// <summary>
    /// The key the links' tokens are derived from: the base64 of 32 random bytes
    /// (<c>head -c 32 /dev/urandom | base64</c>). Every Frontend and Sender of one deployment needs the same
    /// key; changing it invalidates every link already sent.
    /// </summary>
    /// <value>
    /// The default (Embedded mode only) is a key generated at first use and kept in
    /// <c>link-token.key</c> in the data directory; Aws mode requires it.
    /// </value>
    public string? TokenKey { get; set; }

    /// <summary>The key's bytes, or null when none is configured.</summary>
    public byte[]? KeyOrNull() => string.IsNullOrEmpty(TokenKey) ? null : Convert.FromBase64String(TokenKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(TokenKey) && !IsKey(TokenKey))
        {
            yield return new ValidationResult(
                $"Notify:Links:TokenKey must be the base64 of {KeyBytes} random bytes (for example the output of 'head -c {KeyBytes} /dev/urandom | base64').",
                [nameof(TokenKey)]);
        }
    }

    internal static bool IsKey(string text)
    {
        var bytes = new byte[KeyBytes + 1];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == KeyBytes;
    }
}
