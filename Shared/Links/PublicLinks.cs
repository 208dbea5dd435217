using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;

namespace Notify.Shared.Links;

/// <summary>
/// Builds the confirm and unsubscribe links sent to subscribers. The base is
/// <c>Notify:PublicBaseUrl</c>, else the first address this process's web server listens on; the tokens
/// are <see cref="LinkTokens"/>' derived ones.
/// </summary>
public sealed class PublicLinks(IOptions<NotifyOptions> options, LinkTokens tokens, IServiceProvider services)
{
    private Uri? _base;

    /// <summary>The token of a subscription's confirm link (webhook confirmation requests carry it on its own too).</summary>
    public string ConfirmToken(string subscriptionId) => tokens.Derive(LinkPurpose.Confirm, subscriptionId);

    /// <summary>The absolute confirm link of a subscription (what <c>confirmUrl</c> fields and messages carry).</summary>
    public string ConfirmUrl(string subscriptionId) =>
        Link($"v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}/confirm?token={ConfirmToken(subscriptionId)}");

    /// <summary>The absolute unsubscribe link of a subscription, built for every delivery.</summary>
    public string UnsubscribeUrl(string subscriptionId) =>
        Link($"v1/subscriptions/{Uri.EscapeDataString(subscriptionId)}/unsubscribe?token={tokens.Derive(LinkPurpose.Unsubscribe, subscriptionId)}");

    /// <summary>The public address of <paramref name="relative"/> (a path without a leading slash).</summary>
    public Uri Absolute(string relative) => new(Base, relative);

    private Uri Base => _base ??= ResolveBase();

    // The parts are escaped and the base is a path ending with a slash, so joining the strings gives what
    // resolving the relative URI against the base would, without parsing a URI for every delivery.
    private string Link(string escapedRelative) => Base.AbsoluteUri + escapedRelative;

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

    /// <summary>The base's path, ending with a slash: a query or fragment of the base has no place in a link.</summary>
    private static Uri WithTrailingSlash(Uri uri)
    {
        var path = uri.GetLeftPart(UriPartial.Path);
        return new Uri(path.EndsWith('/') ? path : path + "/");
    }
}
