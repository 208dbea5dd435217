namespace Notify.Shared.Email;

/// <summary>How the connection to the SMTP server is encrypted (<c>Notify:Email:Security</c>).</summary>
public enum EmailSecurity
{
    /// <summary>Implicit TLS on port 465, STARTTLS (required) on any other port.</summary>
    Auto,

    /// <summary>Plain connection upgraded with STARTTLS; a server that does not offer it is refused.</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, "SMTPS", usually port 465).</summary>
    SslOnConnect,

    /// <summary>No encryption: only for a server on the same machine or a test server.</summary>
    None,
}
