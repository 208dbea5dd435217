using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Email;

namespace Notify.Shared.Configuration;

/// <summary>
/// Turns the relative folders in Notify's settings into absolute ones once, as the options are built, so
/// every part of a process (and every process of one checkout) means the same folder by them.
/// </summary>
/// <param name="environment">The host's environment; without a host (some tests) the working directory is the content root.</param>
internal sealed class ResolveRelativePaths(IHostEnvironment? environment = null)
    : IPostConfigureOptions<NotifyOptions>, IPostConfigureOptions<EmailOptions>
{
    private string ContentRoot => environment?.ContentRootPath is { Length: > 0 } root ? root : Directory.GetCurrentDirectory();

    public void PostConfigure(string? name, NotifyOptions options)
    {
        // An empty value is left for validation to report with the setting's name.
        if (!string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            options.DataDirectory = RelativePaths.Resolve(options.DataDirectory, ContentRoot);
        }
    }

    public void PostConfigure(string? name, EmailOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            options.PickupDirectory = RelativePaths.Resolve(options.PickupDirectory, ContentRoot);
        }
    }
}
