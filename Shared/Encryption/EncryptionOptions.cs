namespace Notify.Shared.Encryption;

/// <summary>
/// The keys that encrypt message content in the embedded store's files (section <c>Notify:Encryption</c>).
/// Checked at start by <see cref="EncryptionOptionsValidation"/>.
/// </summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "Notify:Encryption";

    /// <summary>
    /// The key new values are encrypted under: the base64 of 32 random bytes (<c>openssl rand -base64 32</c>).
    /// </summary>
    /// <value>
    /// The default is none: Notify then generates a key once into <c>encryption.key</c> in the data
    /// directory and uses it on every later start.
    /// </value>
    public string? Key { get; set; }

    /// <summary>
    /// Keys that only read: values written under them before a rotation stay readable. Each is the base64
    /// of 32 bytes. A generated <c>encryption.key</c> in the data directory is read as one too when
    /// <see cref="Key"/> is set.
    /// </summary>
    /// <value>The default is none.</value>
    public List<string> PreviousKeys { get; set; } = [];
}
