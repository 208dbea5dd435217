namespace Notify.Frontend.Auth;

/// <summary>Authentication (section <c>Notify:Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Notify:Auth";

    /// <summary>
    /// The bootstrap admin API key, sent as <c>Authorization: Bearer &lt;key&gt;</c>. Left unset, the
    /// first start generates one, prints it once and keeps only its SHA-256 hash in the data directory.
    /// </summary>
    public string? AdminKey { get; set; }
}
