using System.ComponentModel.DataAnnotations;
using MimeKit;
using Notify.Shared.Configuration;

namespace Notify.Shared.Email;

/// <summary>
/// How email is sent (section <c>Notify:Email</c>): through an SMTP server, or written as <c>.eml</c>
/// files into <see cref="PickupDirectory"/> (a laptop without an SMTP server). Neither set: email is off,
/// and subscribing by email is refused with the settings to set.
/// </summary>
public sealed class EmailOptions : ProviderChannelOptions, IValidatableObject
{
    public const string SectionName = "Notify:Email";

    /// <summary>The SMTP server's host name.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>The SMTP server's port.</summary>
    /// <value>The default is 587 (submission, with STARTTLS).</value>
    [Range(1, 65_535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>How the connection is encrypted: <c>Auto</c>, <c>StartTls</c>, <c>SslOnConnect</c> or <c>None</c>.</summary>
    /// <value>
    /// The default is <see cref="EmailSecurity.Auto"/>: implicit TLS on port 465, STARTTLS (required, so
    /// credentials never cross in clear) on any other port.
    /// </value>
    public EmailSecurity? Security { get; set; }

    /// <summary>
    /// The setting's old name, kept so existing configurations go on working: <c>true</c> is
    /// <see cref="EmailSecurity.StartTls"/>, <c>false</c> is <see cref="EmailSecurity.None"/>. Setting it
    /// beside <see cref="Security"/> is refused at start.
    /// </summary>
    public bool? EnableSsl { get; set; }

    /// <summary>The encryption in force once <see cref="Security"/> and the old <see cref="EnableSsl"/> are read.</summary>
    public EmailSecurity EffectiveSecurity => Security ?? EnableSsl switch
    {
        true => EmailSecurity.StartTls,
        false => EmailSecurity.None,
        null => EmailSecurity.Auto,
    };

    /// <summary>
    /// SMTP connections a Sender keeps open and reuses, at most; deliveries beyond it wait for a free one.
    /// More than <see cref="ProviderChannelOptions.MaxConcurrent"/> are never used.
    /// </summary>
    /// <value>The default is 4 (the default <c>MaxConcurrent</c>).</value>
    [Range(1, 100)]
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// For tests only: the SHA-256 fingerprint (hex) of one server certificate to accept although its
    /// chain or name does not validate, such as a test server's self-signed one. Every other certificate
    /// is validated as usual; unset (the default), none is excused.
    /// </summary>
    public string? TestOnlyTrustedCertificateSha256 { get; set; }

    /// <summary>The SMTP user name, when the server asks for authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The SMTP password; from configuration or a secret store only.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address, with an optional display name: <c>Notify &lt;notify@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Write each email as an <c>.eml</c> file into this folder instead of sending it (wins over SmtpHost).
    /// A relative path is resolved as <see cref="NotifyOptions.DataDirectory"/> is: <c>mail</c> is the
    /// checkout's <c>mail/</c> folder under <c>dotnet run</c>.
    /// </summary>
    public string? PickupDirectory { get; set; }

    /// <summary>True when email can be sent: an SMTP host or a pickup directory is set.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(SmtpHost) || !string.IsNullOrWhiteSpace(PickupDirectory);

    /// <summary>Why subscribing by email is refused right now, naming the settings to set; null when email is enabled.</summary>
    public string? WhyDisabled => IsEnabled
        ? null
        : "Email delivery is not configured on this server: set Notify:Email:SmtpHost (an SMTP server, with Notify:Email:From) " +
          "or Notify:Email:PickupDirectory (a folder for .eml files).";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(From))
        {
            yield return new ValidationResult(
                "Notify:Email:From is required when email is enabled: the address emails are sent from, such as notify@example.com.",
                [nameof(From)]);
        }
        else if (!MailboxAddress.TryParse(From, out var from) || from.Domain.Length == 0)
        {
            yield return new ValidationResult(
                $"Notify:Email:From is not a valid address: use notify@example.com or \"Notify <notify@example.com>\".", [nameof(From)]);
        }

        if (Security is not null && EnableSsl is not null)
        {
            yield return new ValidationResult(
                "Notify:Email:EnableSsl is the old name of Notify:Email:Security: set only Notify:Email:Security (Auto, StartTls, SslOnConnect or None).",
                [nameof(EnableSsl)]);
        }

        if (!string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Notify:Email:Password is required with Notify:Email:Username.", [nameof(Password)]);
        }
    }
}
