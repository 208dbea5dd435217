using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Shared.Links;

/// <summary>
/// Builds the confirm and unsubscribe links sent to subscribers. The base is
/// <c>Notify:PublicBaseUrl</c>, else the first address this process's web server listens on.
/// </summary>
public sealed class PublicLinks(IOptions<NotifyOptions> options, IServiceProvider services)
{
    private Uri? _base;

    public Uri ConfirmUrl(string subscriptionId, string token) =>
        Build($"v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}/confirm?token={Uri.EscapeDataString(token)}");

    public Uri UnsubscribeUrl(string subscriptionId, string token) =>
        Build($"v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}/unsubscribe?token={Uri.EscapeDataString(token)}");

    /// <summary>The public address of <paramref name="relative"/> (a path without a leading slash).</summary>
    public Uri Absolute(string relative) => Build(relative);

    private Uri Build(string relative) => new(_base ??= ResolveBase(), relative);

    private Uri ResolveBase()
    {
        if (options.Value.PublicBaseUrl is { } configured)
        {
            return WithTrailingSlash(configured);
        }

        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException(
                "Notify:PublicBaseUrl is not set and this process serves no HTTP address to derive it from; " +
                "set Notify:PublicBaseUrl to the Frontend's public URL (for example https://notify.example.com).");

        // Kestrel reports wildcard bindings ("http://[::]:8080", "http://+:80"); a link needs a host name.
        var builder = new UriBuilder(address.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        if (builder.Host is "0.0.0.0" or "[::]" or "::")
        {
            builder.Host = "localhost";
        }

        return WithTrailingSlash(builder.Uri);
    }

    private static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
