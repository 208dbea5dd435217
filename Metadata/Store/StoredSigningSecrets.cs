using System.Globalization;
using Notify.Metadata.Model;

namespace Notify.Metadata.Store;

/// <summary>
/// <see cref="SigningSecrets"/> as one text value, the same in every store: <c>current</c>, or
/// <c>current previous expiresAtUnixMs</c> (secrets are base64, so never contain a space). One value, so
/// it is one column or attribute that can be encrypted as a whole.
/// </summary>
internal static class StoredSigningSecrets
{
    public static string Format(SigningSecrets secrets) =>
        secrets.Previous is { } previous && secrets.PreviousExpiresAt is { } expiresAt
            ? string.Create(CultureInfo.InvariantCulture, $"{secrets.Current} {previous} {expiresAt.ToUnixTimeMilliseconds()}")
            : secrets.Current;

    public static SigningSecrets Parse(string text)
    {
        var parts = text.Split(' ');
        return parts.Length switch
        {
            1 => new SigningSecrets(parts[0]),
            3 => new SigningSecrets(parts[0], parts[1], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], CultureInfo.InvariantCulture))),
            _ => throw new FormatException($"Stored signing secrets have {parts.Length} parts; expected 1 or 3."),
        };
    }
}
