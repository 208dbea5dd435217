using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Notify.Shared.Webhooks;

namespace Notify.Sender.Channels.Webhooks;

/// <summary>
/// Makes every connection of the webhook HttpClient (its <see cref="SocketsHttpHandler.ConnectCallback"/>):
/// refuses plain http when https is required, resolves the host once, refuses the addresses the
/// private-network guard forbids, and connects to exactly an address it checked, trying each in turn. There
/// is no second lookup, so a name that answers a public address to the check and a private one to the
/// connection (DNS rebinding) cannot get through.
/// </summary>
internal sealed class WebhookConnector
{
    private readonly bool _allowPrivateNetworks;
    private readonly bool _requireHttps;
    private readonly Func<IPAddress, string?> _classify;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public WebhookConnector(WebhookOptions options)
        : this(options.AllowPrivateNetworks is true, options.RequireHttps is true, PrivateNetworkGuard.Classify, PrivateNetworkGuard.ResolveAsync)
    {
    }

    /// <param name="classify">Why an address is forbidden, or null: <see cref="PrivateNetworkGuard.Classify"/> but in tests.</param>
    /// <param name="resolve">The host's addresses: <see cref="PrivateNetworkGuard.ResolveAsync"/> but in tests.</param>
    internal WebhookConnector(
        bool allowPrivateNetworks,
        bool requireHttps,
        Func<IPAddress, string?> classify,
        Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _allowPrivateNetworks = allowPrivateNetworks;
        _requireHttps = requireHttps;
        _classify = classify;
        _resolve = resolve;
    }

    /// <summary>Whether there is anything to check; when not, the handler's own connect is used.</summary>
    public bool Checks => !_allowPrivateNetworks || _requireHttps;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        // Connections are pooled per scheme, so the request that opens one tells its scheme for all its requests.
        if (_requireHttps && context.InitialRequestMessage.RequestUri?.Scheme != Uri.UriSchemeHttps)
        {
            throw new ForbiddenAddressException("uses http, not https; set Notify:Webhooks:RequireHttps=false to allow it");
        }

        var endpoint = context.DnsEndPoint;
        var addresses = await _resolve(endpoint.Host, cancellationToken);

        string? refusal = null;
        Exception? lastError = null;
        foreach (var address in addresses)
        {
            if (!_allowPrivateNetworks && _classify(address) is { } category)
            {
                refusal ??= PrivateNetworkGuard.Describe(address, category);
                continue;
            }

            // A mapped address (::ffff:a.b.c.d, allowed only with private networks) is dialled as plain
            // IPv4; an IPv6-only socket could not reach it.
            var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            ExceptionDispatchInfo.Throw(lastError);
        }

        throw refusal is not null
            ? new ForbiddenAddressException(refusal)
            : new SocketException((int)SocketError.HostNotFound);
    }
}
