using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Notify.Shared.Configuration;

/// <summary>Settings every Notify process shares (section <c>Notify</c>).</summary>
public sealed class NotifyOptions
{
    public const string SectionName = "Notify";

    /// <value>The default is <see cref="NotifyMode.Embedded"/>.</value>
    public NotifyMode Mode { get; set; } = NotifyMode.Embedded;

    /// <summary>
    /// Where the embedded store keeps its SQLite files. A relative path is resolved as
    /// <see cref="RelativePaths"/> says: under the checkout's root when the process runs from a Notify
    /// checkout (so a Frontend and a standalone Sender started there share one store), else under the
    /// content root. Absolute once the options are built.
    /// </summary>
    /// <value>The default is <c>data</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Absolute base URL used in confirm and unsubscribe links.</summary>
    /// <value>The default is the server's own first URL.</value>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>
    /// The configured mode, read from configuration directly: registrations need it while services are
    /// being added, before the bound options exist.
    /// </summary>
    public static NotifyMode ModeIn(IConfiguration configuration) =>
        configuration.GetSection(SectionName).GetValue(nameof(Mode), NotifyMode.Embedded);

    /// <summary>The data directory as an absolute path, created owner-only (0700) if missing.</summary>
    public string EnsureDataDirectory()
    {
        var path = Path.GetFullPath(DataDirectory);
        Storage.OwnerOnly.CreateDirectory(path);
        return path;
    }
}
